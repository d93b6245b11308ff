import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { classifyTokenError } from '../../../shared/tokens/classifyTokenError.js';
import type { ConnectionState } from '../../../shared/tokens/ConnectionState.js';
import { nextConnectionState, transientBackoff, type AttemptOutcome } from '../../../shared/tokens/nextConnectionState.js';
import { connection, policy, VAULT_URL } from './tokenTestData.js';

const t0 = DateTime.fromISO('2025-03-10T12:00:00Z', { zone: 'utc' });
const ref = { vaultUrl: VAULT_URL, name: 'cerb-mailbox' };
const refreshed: AttemptOutcome = {
  kind: 'refreshed',
  connection: connection(),
  tokenVersion: 'v1',
  tokenCreatedOn: t0,
  wroteBack: false,
  grantedScopes: ['s'],
  expectedLapse: t0.plus({ days: 90 }),
  clientSecret: { name: 'cerb-client-secret', appId: null, keyId: null, endDateTime: null },
};
const failed = (codes: number[], status = 400): AttemptOutcome => ({
  kind: 'failed',
  connection: connection(),
  failure: classifyTokenError(
    {
      kind: 'rejected',
      status,
      error: status >= 500 ? undefined : 'invalid_grant',
      suberror: undefined,
      codes,
      correlationId: 'c',
      retryAfterMs: undefined,
    },
    connection(),
  ),
  tokenVersion: 'v1',
  tokenCreatedOn: t0,
});
const revoked = failed([50173]);
const outage = failed([], 503);

/** Runs attempts at the given hours after t0 and collects the notices. */
function run(steps: Array<[hours: number, AttemptOutcome]>, start?: ConnectionState) {
  let state = start;
  const notices: string[] = [];
  for (const [hours, outcome] of steps) {
    const next = nextConnectionState(state, ref, outcome, t0.plus({ hours }), policy);
    state = next.state;
    if (next.notice) notices.push(next.notice);
  }
  return { state: state!, notices };
}

describe('nextConnectionState', () => {
  it('alerts once for a revoked token however often it is probed, then once on recovery', () => {
    const { state, notices } = run([
      [0, revoked],
      [24, revoked],
      [48, failed([700082])],
      [49, refreshed],
    ]);
    expect(notices).toEqual(['failed', 'recovered']);
    expect(state).toMatchObject({ status: 'healthy', consecutiveFailures: 0, lastSuccess: '2025-03-12T13:00:00.000Z' });
    const fields: Record<string, unknown> = { ...state };
    expect([fields['failureClass'], fields['alertedClass'], fields['failingSince']]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps the failure streak, code and remediation while failing', () => {
    const { state } = run([
      [0, revoked],
      [24, revoked],
    ]);
    expect(state).toMatchObject({
      status: 'failing',
      failureClass: 'revoked',
      consecutiveFailures: 2,
      failingSince: '2025-03-10T12:00:00.000Z',
      lastErrorCode: 'AADSTS50173',
      correlationId: 'c',
      nextAttemptAt: '2025-03-12T12:00:00.000Z',
    });
    expect(state.status === 'failing' && state.whoMustAct).toContain('signs in again');
  });

  it('does not alert for a transient burst, nor announce a recovery nobody heard about', () => {
    expect(
      run([
        [0, outage],
        [0.5, outage],
        [1, refreshed],
      ]).notices,
    ).toEqual([]);
  });

  it('alerts for a transient failure only after 3 attempts spanning 6 hours, and only once', () => {
    const { notices } = run([
      [0, outage],
      [1, outage],
      [2, outage],
      [5, outage],
      [6, outage],
      [9, outage],
      [12, refreshed],
    ]);
    expect(notices).toEqual(['failed', 'recovered']);
    expect(
      run([
        [0, outage],
        [6, outage],
      ]).notices,
    ).toEqual([]);
  });

  it('alerts again when the class changes within a streak, but not for transients after an alert', () => {
    expect(
      run([
        [0, outage],
        [1, revoked],
        [2, failed([65001])],
        [3, outage],
        [10, outage],
      ]).notices,
    ).toEqual(['failed', 'failed']);
  });

  it('backs transient failures off from 30 minutes up to the probe interval, never below Retry-After', () => {
    expect([1, 2, 3, 10].map((n) => transientBackoff(n, undefined, policy).as('minutes'))).toEqual([30, 60, 120, 1440]);
    expect(transientBackoff(1, 3 * 3_600_000, policy).as('hours')).toBe(3);
  });

  it('reports a misconfiguration once per distinct set of problems', () => {
    const bad = (problems: string[]): AttemptOutcome => ({
      kind: 'misconfigured',
      problems,
      tokenVersion: undefined,
      tokenCreatedOn: undefined,
    });
    const { state, notices } = run([
      [0, bad(['a'])],
      [1, bad(['a'])],
      [2, bad(['a', 'b'])],
    ]);
    expect(notices).toEqual(['misconfigured', 'misconfigured']);
    expect(state).toMatchObject({ status: 'misconfigured', problems: ['a', 'b'] });
  });
});
