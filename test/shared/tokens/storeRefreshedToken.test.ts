import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { writeBackToken } from '../../../shared/tokens/storeRefreshedToken.js';
import type { SecretVersionListing, TokenVault } from '../../../shared/tokens/TokenPorts.js';
import { goodTags, VAULT_URL } from './tokenTestData.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const facts = { refreshedAt: NOW, grantedScopes: ['offline_access'], expectedLapse: NOW.plus({ days: 90 }) };
const secret = { name: 'cerb-mailbox', version: 'v3', tags: goodTags(), contentType: undefined, createdOn: NOW.minus({ days: 8 }) };
const version = (id: string, daysAgo: number, enabled = true): SecretVersionListing => ({
  version: id,
  enabled,
  createdOn: NOW.minus({ days: daysAgo }),
});

/** A vault whose create answers only when released, recording each call as it starts. */
function vault(listed: SecretVersionListing[]) {
  const calls: string[] = [];
  let answerCreate = () => undefined as void;
  const created = new Promise<void>((resolve) => (answerCreate = resolve));
  const refuse = () => Promise.reject(new Error('not used by a write-back'));
  const store: TokenVault = {
    vaultUrl: VAULT_URL,
    list: () => ({ [Symbol.asyncIterator]: () => ({ next: refuse }) }),
    read: refuse,
    forget: () => undefined,
    async writeVersion() {
      calls.push('create');
      await created;
      return { ok: true, value: { version: 'v4', createdOn: NOW } };
    },
    updateTags: refuse,
    listVersions() {
      calls.push('list');
      return Promise.resolve({ ok: true, value: listed });
    },
    disableVersion(_name, id) {
      calls.push(`disable ${id}`);
      return Promise.resolve({ ok: true, value: undefined });
    },
  };
  return { store, calls, answerCreate };
}

describe('writeBackToken', () => {
  it('lists the versions beside the create, not after it, and keeps the new version and the newest before it', async () => {
    const { store, calls, answerCreate } = vault([version('v1', 16, false), version('v2', 16), version('v3', 8)]);
    const stored = writeBackToken(store, secret, 'rotated', facts, () => Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toEqual(['create', 'list']);
    answerCreate();
    const result = await stored;
    expect(result).toEqual({ kind: 'stored', version: 'v4', createdOn: NOW, disabling: expect.any(Promise) });
    expect(result.kind === 'stored' && (await result.disabling)).toEqual([]);
    expect(calls).toEqual(['create', 'list', 'disable v2']);
  });

  it('answers once the new version is written, while the older versions are still being disabled', async () => {
    const { store, calls, answerCreate } = vault([version('v3', 8), version('v2', 16)]);
    let answerDisable = () => undefined as void;
    const disabled = new Promise<void>((resolve) => (answerDisable = resolve));
    const slow: TokenVault = { ...store, disableVersion: (...args) => disabled.then(() => store.disableVersion(...args)) };
    answerCreate();
    const stored = await writeBackToken(slow, secret, 'rotated', facts, () => Promise.resolve());
    expect(stored).toMatchObject({ kind: 'stored', version: 'v4' });
    expect(calls).toEqual(['create', 'list']);
    answerDisable();
    expect(stored.kind === 'stored' && (await stored.disabling)).toEqual([]);
    expect(calls).toEqual(['create', 'list', 'disable v2']);
  });

  it('leaves the new version out when the listing already holds it', async () => {
    const { store, calls, answerCreate } = vault([version('v4', 0), version('v3', 8), version('v2', 16), version('v1', 20)]);
    answerCreate();
    const stored = await writeBackToken(store, secret, 'rotated', facts, () => Promise.resolve());
    if (stored.kind === 'stored') await stored.disabling;
    expect(calls).toEqual(['create', 'list', 'disable v2', 'disable v1']);
  });
});
