import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toConnectionKey } from '../../../shared/tokens/Connection.js';
import type { ConnectionState, FailingConnectionState } from '../../../shared/tokens/ConnectionState.js';
import { LOST_TAGS_PROBLEM, planRefreshes } from '../../../shared/tokens/planRefreshes.js';
import type { SecretListing } from '../../../shared/tokens/TokenPorts.js';
import { goodTags, policy, VAULT_URL } from './tokenTestData.js';

const now = DateTime.fromISO('2025-03-10T12:00:05Z', { zone: 'utc' });
const created = DateTime.fromISO('2025-03-05T08:00:00Z', { zone: 'utc' });
const listing = (name: string, tags = goodTags(), extra: Partial<SecretListing> = {}) => ({
  vaultUrl: VAULT_URL,
  secret: { name, version: undefined, tags, enabled: true, createdOn: created, ...extra },
});
type StateFields = Partial<Omit<FailingConnectionState, 'status'>> & { status?: ConnectionState['status']; problems?: string[] };
const state = (name: string, { status = 'healthy', problems = [], ...fields }: StateFields): ConnectionState => {
  const base = { vaultUrl: VAULT_URL, name, consecutiveFailures: 0, tokenCreatedOn: created.toISO()!, ...fields };
  if (status === 'misconfigured') return { ...base, status, problems };
  if (status === 'healthy') return { ...base, status };
  const failure = {
    failureClass: 'revoked',
    failingSince: now.toISO()!,
    lastErrorCode: 'AADSTS50173',
    whoMustAct: 'x',
    remediation: 'y',
  } as const;
  return { ...failure, ...base, status };
};
const plan = (listings: ReturnType<typeof listing>[], states: ConnectionState[]) =>
  planRefreshes(listings, new Map(states.map((s) => [toConnectionKey(s), s])), now, policy);
const reasons = (p: ReturnType<typeof plan>) => p.due.map((d) => [d.connection.name, d.reason]);

describe('planRefreshes', () => {
  it('queues connections never attempted', () => {
    expect(reasons(plan([listing('a')], []))).toEqual([['a', 'new']]);
  });

  it('queues a healthy connection whose next probe falls before the next hourly tick, and not one after', () => {
    const p = plan(
      [listing('due-now'), listing('due-before-next-tick'), listing('later')],
      [
        state('due-now', { nextAttemptAt: '2025-03-10T12:00:00Z' }),
        // Attempted at 12:00:30 yesterday: waiting for it would slip the daily probe to 13:00.
        state('due-before-next-tick', { nextAttemptAt: '2025-03-10T12:00:30Z' }),
        state('later', { nextAttemptAt: '2025-03-10T13:00:10Z' }),
      ],
    );
    expect(reasons(p)).toEqual([
      ['due-now', 'due'],
      ['due-before-next-tick', 'due'],
    ]);
    expect(p.notDue).toBe(1);
  });

  it('retries a failing connection when its backoff ends', () => {
    const p = plan(
      [listing('a'), listing('b')],
      [
        state('a', { status: 'failing', nextAttemptAt: '2025-03-10T12:30:00Z' }),
        state('b', { status: 'failing', nextAttemptAt: '2025-03-11T12:00:00Z' }),
      ],
    );
    expect(reasons(p)).toEqual([['a', 'retry']]);
  });

  it('queues at once a connection whose secret got a new version (a person stored a new token)', () => {
    const p = plan(
      [listing('a', goodTags(), { createdOn: now.minus({ minutes: 3 }) })],
      [state('a', { status: 'failing', failureClass: 'revoked', nextAttemptAt: '2025-03-11T12:00:00Z' })],
    );
    expect(reasons(p)).toEqual([['a', 'replaced']]);
  });

  it('reports misconfigured connections by name and plans the rest', () => {
    const { 'vigil-tenant': _t, ...noTenant } = goodTags();
    const p = plan([listing('broken', noTenant), listing('fine'), listing('disabled', goodTags(), { enabled: false })], []);
    expect(reasons(p)).toEqual([['fine', 'new']]);
    expect(p.misconfigured).toEqual([
      { ref: { vaultUrl: VAULT_URL, name: 'broken' }, problems: ['vigil-tenant: is missing'], createdOn: created },
      { ref: { vaultUrl: VAULT_URL, name: 'disabled' }, problems: ['the current version is disabled'], createdOn: created },
    ]);
  });

  it('re-plans a misconfigured connection once its tags are fixed', () => {
    expect(reasons(plan([listing('a')], [state('a', { status: 'misconfigured', problems: ['x'] })]))).toEqual([['a', 'new']]);
  });

  it('flags a known connection whose new version lost its tags, and ignores untagged secrets it never knew', () => {
    const p = plan(
      [listing('known', {}, { createdOn: now }), listing('client-secret', {})],
      [state('known', { nextAttemptAt: '2025-03-11T12:00:00Z' })],
    );
    expect(p.due).toEqual([]);
    expect(p.misconfigured).toEqual([{ ref: { vaultUrl: VAULT_URL, name: 'known' }, problems: [LOST_TAGS_PROBLEM], createdOn: now }]);
  });
});
