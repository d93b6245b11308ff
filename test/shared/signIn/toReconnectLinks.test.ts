import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { RegisteredRedirectUris } from '../../../shared/signIn/checkRedirectUri.js';
import { hashSecret } from '../../../shared/signIn/mintSignInLink.js';
import type { LinkRequestDeps } from '../../../shared/signIn/requestConnection.js';
import { toReconnectLinks } from '../../../shared/signIn/toReconnectLinks.js';
import { fakeVault, memorySignInStore, reconnectAlert } from './signInFixtures.js';

const BASE = 'https://vigil.example';
const VAULT = 'https://kv.vault.azure.net';
/** A reminder sent eight days after the alert: past the seven-day lifetime of any link the alert could have had. */
const DAY_8 = DateTime.fromISO('2026-12-01T09:30:00Z', { zone: 'utc' });

function setup(found: RegisteredRedirectUris = { kind: 'found', uris: [`${BASE}/api/signed-in`] }) {
  const store = memorySignInStore();
  const vault = fakeVault(VAULT, DAY_8);
  const deps: LinkRequestDeps = {
    store,
    settings: { baseUrl: BASE, lifetime: Duration.fromObject({ days: 7 }) },
    apps: { redirectUris: async () => found },
    vault: (url) => (url === VAULT ? vault : undefined),
    sleep: async () => undefined,
  };
  return { store, vault, links: toReconnectLinks(deps) };
}

describe('toReconnectLinks', () => {
  it('mints an alert link when the message is sent, valid for the lifetime from then, keeping only its hash', async () => {
    const t = setup();
    const offer = await t.links(reconnectAlert('revoked'), DAY_8);
    expect(offer).toMatchObject({ kind: 'link', expiresAt: '2026-12-08T09:30:00.000Z' });
    const url = offer?.kind === 'link' ? offer.url : '';
    expect(url).toMatch(/^https:\/\/vigil\.example\/api\/sign-in\/[A-Za-z0-9_-]{43}$/);
    const stored = t.store.links.get(hashSecret(url.split('/').at(-1)!));
    expect(stored).toMatchObject({ purpose: 'alert', status: 'open', createdAt: '2026-12-01T09:30:00.000Z' });
    expect(JSON.stringify([...t.store.links])).not.toContain(url.split('/').at(-1));
  });

  it('offers nothing for an alert a sign-in does not fix', async () => {
    const t = setup();
    expect(await t.links(reconnectAlert('transient'), DAY_8)).toBeUndefined();
    expect(await t.links(reconnectAlert('revoked', null), DAY_8)).toBeUndefined();
    expect(t.store.links.size).toBe(0);
  });

  it('says what to add when the app lacks the redirect URI, and mints nothing', async () => {
    const t = setup({ kind: 'found', uris: ['https://cerb.example/oauth'] });
    const offer = await t.links(reconnectAlert('revoked'), DAY_8);
    expect(offer).toMatchObject({ kind: 'none' });
    expect(offer?.kind === 'none' && offer.reason).toContain(`does not list Vigil's redirect URI ${BASE}/api/signed-in`);
    expect(t.store.links.size).toBe(0);
  });

  it('still offers the link when the registration cannot be read, saying it was not checked', async () => {
    const offer = await setup({ kind: 'unchecked', reason: 'no client for the tenant' }).links(reconnectAlert('revoked'), DAY_8);
    expect(offer).toMatchObject({ kind: 'link', note: expect.stringContaining('could not check that the app lists its redirect URI') });
  });

  it('calls Key Vault being unavailable "no link right now", not "no link possible"', async () => {
    const t = setup();
    t.vault.read = async () => ({ ok: false, failure: { kind: 'unavailable', status: 503, code: 'ServiceUnavailable' } });
    expect(await t.links(reconnectAlert('revoked'), DAY_8)).toMatchObject({ kind: 'unavailable' });
  });
});
