import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStateStore, SecretListing, TokenVault } from '../../../shared/tokens/TokenPorts.js';
import { scheduleRefreshes, type PlannerDeps } from '../../../shared/tokens/scheduleRefreshes.js';
import { goodTags, policy, TENANT_ID, VAULT_URL } from './tokenTestData.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
});

/** A vault that lists its one connection after a moment, as a real listing takes a round trip. */
const slowVault: TokenVault = {
  vaultUrl: VAULT_URL,
  async *list(): AsyncIterable<SecretListing> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    yield { name: 'cerb-mailbox', version: 'v1', tags: goodTags(), enabled: true, createdOn: NOW.minus({ days: 1 }) };
  },
  read: () => Promise.reject(new Error('not read by the planner')),
  forget: () => undefined,
  writeVersion: () => Promise.reject(new Error('not written by the planner')),
  updateTags: () => Promise.reject(new Error('not written by the planner')),
  listVersions: () => Promise.reject(new Error('not read by the planner')),
  disableVersion: () => Promise.reject(new Error('not written by the planner')),
};

const storageDown = (): ConnectionStateStore => ({
  listRows: () => Promise.reject(new Error('Table storage is unreachable')),
  list: () => Promise.reject(new Error('unused')),
  forget: () => Promise.reject(new Error('unused')),
  get: () => Promise.reject(new Error('unused')),
  saveUnleased: () => Promise.reject(new Error('unused')),
});

describe('scheduleRefreshes', () => {
  it('fails the run, without an unhandled rejection, when the state table fails before the vaults are listed', async () => {
    process.on('unhandledRejection', onUnhandled);
    const deps: PlannerDeps = {
      stores: [slowVault],
      vaultHealth: { record: async () => [] },
      states: storageDown(),
      queue: { send: () => Promise.resolve() },
      events: { publish: () => Promise.resolve() },
      policy,
      homeTenantId: TENANT_ID,
    };
    await expect(scheduleRefreshes(deps, NOW)).rejects.toThrow('Table storage is unreachable');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });
});
