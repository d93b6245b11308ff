import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { RedeemedCode, SignInDeps, VigilFault } from '../../../shared/signIn/SignInPorts.js';
import { finishSignIn } from '../../../shared/signIn/finishSignIn.js';
import { mintSignInLink } from '../../../shared/signIn/mintSignInLink.js';
import { startSignIn } from '../../../shared/signIn/startSignIn.js';
import { createCertificateCache } from '../../../shared/tokens/createCertificateCache.js';
import { cerbTags, fakeVault, memorySignInStore } from './signInFixtures.js';

// The sign-in's decisions with every collaborator faked at its port: a vault of two secrets, an
// authorization server that answers as told, and a probe that says healthy.
const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const VAULT = 'https://kv.vault.azure.net';
const OWNER = 'helpdesk@contoso.com';
const tags = cerbTags;

const redeemed = (username: string, refreshToken: string | null = 'new-token'): RedeemedCode => ({
  kind: 'redeemed',
  refreshToken: refreshToken ?? undefined,
  grantedScopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
  refreshTokenExpiresIn: undefined,
  user: { tenantId: tags['vigil-tenant'], objectId: 'o-1', username, name: undefined },
  correlationId: undefined,
});

function setup(answers: (RedeemedCode | VigilFault)[]) {
  const store = memorySignInStore();
  const vault = fakeVault(VAULT, NOW);
  const events: VigilEvent[] = [];
  const deps: SignInDeps = {
    store,
    settings: {
      baseUrl: 'https://vigil.example',
      lifetime: Duration.fromObject({ days: 7 }),
      flowLifetime: Duration.fromObject({ minutes: 15 }),
    },
    vault: () => vault,
    loginHost: () => 'https://login.example',
    server: { redeem: async () => answers.shift()! },
    probe: async () => ({ kind: 'healthy' }),
    events: { publish: async (e) => void events.push(...e) },
    homeTenantId: tags['vigil-tenant'],
    sleep: async () => undefined,
    readCertificate: createCertificateCache(),
  };
  const link = (at = NOW) => mintSignInLink(deps, { kind: 'reconnect', ref: { vaultUrl: VAULT, name: 'cerb-mailbox' } }, 'alert', at);
  /** Starts a sign-in from the link and returns Entra's answer for it (a code and the state). */
  const signIn = async (url: string, at = NOW) => {
    const started = await startSignIn(deps, url.split('/').at(-1)!, at);
    if (started.kind !== 'redirect') throw new Error(started.reason);
    return new URLSearchParams({ code: 'c', state: new URL(started.authorizeUrl).searchParams.get('state')! });
  };
  return { deps, vault, events, link, signIn };
}

describe('finishSignIn', () => {
  it('keeps the link open after a wrong user, then stores the owner’s token and retires every link of the connection', async () => {
    const t = setup([redeemed('someone@contoso.com'), redeemed(OWNER.toUpperCase())]);
    const [first, second] = [await t.link(), await t.link()];
    const wrong = await finishSignIn(t.deps, await t.signIn(first.url), NOW);
    expect(wrong).toMatchObject({ kind: 'refused', reason: 'wrongUser' });
    expect(t.vault.written).toEqual([]);
    const right = await finishSignIn(t.deps, await t.signIn(first.url), NOW.plus({ minutes: 1 }));
    expect(right).toMatchObject({ kind: 'connected', probe: { kind: 'healthy' } });
    expect(t.vault.written).toMatchObject([{ name: 'cerb-mailbox', tags: { ...tags, 'vigil-last-refresh': '2026-11-23T06:01:00Z' } }]);
    await expect(t.signIn(first.url, NOW.plus({ minutes: 2 }))).rejects.toThrow('used');
    await expect(t.signIn(second.url, NOW.plus({ minutes: 2 }))).rejects.toThrow('retired');
    expect(t.events.map((e) => e.type)).toEqual(['token.sign_in_refused', 'token.connected']);
  });

  // The link lives 7 days; each flow below starts in its last minutes and has 15 to finish.
  const LAST_MINUTES = NOW.plus({ days: 7 }).minus({ minutes: 5 });
  const AFTER_EXPIRY = NOW.plus({ days: 7, minutes: 1 });

  it('refuses a sign-in finishing through a link that expired and was retired by a newer sign-in meanwhile', async () => {
    const t = setup([redeemed(OWNER), redeemed(OWNER)]);
    const older = await t.link();
    const late = await t.signIn(older.url, LAST_MINUTES);
    const newer = await t.link(LAST_MINUTES.plus({ minutes: 1 }));
    const newest = await finishSignIn(
      t.deps,
      await t.signIn(newer.url, LAST_MINUTES.plus({ minutes: 1 })),
      LAST_MINUTES.plus({ minutes: 2 }),
    );
    expect(newest).toMatchObject({ kind: 'connected' });
    expect(await finishSignIn(t.deps, late, AFTER_EXPIRY)).toMatchObject({ kind: 'refused', reason: 'retired' });
    // Only the newer sign-in's token: the older flow's would have become the current version after it.
    expect(t.vault.written).toMatchObject([{ tags: { 'vigil-last-refresh': '2026-11-30T05:57:00Z' } }]);
    // The page tells the person; the routes heard the connection works, as for any retired link.
    expect(t.events.map((e) => e.type)).toEqual(['token.connected']);
  });

  it('lets one of two sign-ins started through a link finish after its last minute, and refuses the other as used', async () => {
    const t = setup([redeemed(OWNER), redeemed(OWNER)]);
    const { url } = await t.link();
    const [first, second] = [await t.signIn(url, LAST_MINUTES), await t.signIn(url, LAST_MINUTES.plus({ minutes: 1 }))];
    expect(await finishSignIn(t.deps, first, AFTER_EXPIRY)).toMatchObject({ kind: 'connected' });
    expect(await finishSignIn(t.deps, second, AFTER_EXPIRY.plus({ minutes: 1 }))).toMatchObject({ kind: 'refused', reason: 'used' });
    expect(t.vault.written).toHaveLength(1);
  });

  it('lets one of two sign-ins finishing at once through an expired link through, by the conditional write that marks it used', async () => {
    const t = setup([redeemed(OWNER), redeemed(OWNER)]);
    const { url } = await t.link();
    const both = [await t.signIn(url, LAST_MINUTES), await t.signIn(url, LAST_MINUTES)];
    // Both read the link open (and expired) before either marks it used.
    const outcomes = await Promise.all(both.map((answer) => finishSignIn(t.deps, answer, AFTER_EXPIRY)));
    expect(outcomes).toMatchObject([
      { kind: 'connected' },
      { kind: 'refused', reason: 'used', detail: 'Another sign-in through this link completed first.' },
    ]);
    expect(t.vault.written).toHaveLength(1);
  });

  it("reads the app's credential afresh into the vault's reuse cache, so the probe right after does not read it again", async () => {
    const t = setup([redeemed(OWNER)]);
    const { url } = await t.link();
    expect(await finishSignIn(t.deps, await t.signIn(url), NOW)).toMatchObject({ kind: 'connected' });
    // maxAgeMs 0: never a value read before the sign-in, and kept for the probe's read within its reuse window.
    expect(t.vault.reads.filter((r) => r.name === 'cerb-client-secret')).toEqual([{ name: 'cerb-client-secret', maxAgeMs: 0 }]);
  });

  it('refuses a grant without a refresh token, an answer after the flow’s lifetime, and a replayed answer', async () => {
    const t = setup([redeemed(OWNER, null)]);
    const { url } = await t.link();
    expect(await finishSignIn(t.deps, await t.signIn(url), NOW)).toMatchObject({ reason: 'noRefreshToken' });
    const late = await t.signIn(url);
    expect(await finishSignIn(t.deps, late, NOW.plus({ minutes: 16 }))).toMatchObject({ reason: 'flowExpired' });
    expect(await finishSignIn(t.deps, late, NOW.plus({ minutes: 16 }))).toMatchObject({ reason: 'unknownState' });
    expect(t.vault.written).toEqual([]);
  });

  it('reports a declined consent with Entra’s code, and an answer Vigil never asked for without any event', async () => {
    const t = setup([]);
    const { url } = await t.link();
    const answer = await t.signIn(url);
    answer.delete('code');
    answer.set('error', 'access_denied');
    answer.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    expect(await finishSignIn(t.deps, answer, NOW)).toMatchObject({ kind: 'refused', reason: 'consentDenied', code: 'AADSTS65004' });
    expect(await finishSignIn(t.deps, new URLSearchParams({ code: 'c', state: 'forged' }), NOW)).toMatchObject({ reason: 'unknownState' });
    expect(t.events.map((e) => e.type)).toEqual(['token.sign_in_refused']);
  });

  it('refuses a redemption Vigil could not make as its own fault, tells the routes who acts, and keeps the link open', async () => {
    const reason = 'Vigil could not make its request to Entra (TypeError): a fault in Vigil or its settings';
    const t = setup([{ kind: 'vigilFault', code: 'TypeError', reason }, redeemed(OWNER)]);
    const { url } = await t.link();
    const outcome = await finishSignIn(t.deps, await t.signIn(url), NOW);
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'vigilFault', code: 'TypeError' });
    // The page heads the detail with what was refused and ends it with the code: the detail does not repeat them.
    expect(outcome.kind === 'refused' && outcome.detail).toBe(
      "The fault is on Vigil's side, not yours or Microsoft's: the link works again once it is mended.",
    );
    expect(t.events).toMatchObject([
      {
        type: 'token.sign_in_refused',
        summary: expect.stringContaining('was refused: Vigil could not make its request to Entra. Nothing was stored.'),
        fix:
          "Vigil's operators check the log and the login host in VIGIL_CLOUD_ENDPOINTS, then open the link again; if it expired meanwhile: " +
          'Get a fresh sign-in link from the status page or POST /api/connections/cerb-mailbox/sign-in-link, and have helpdesk@contoso.com open it.',
        data: { reason: 'vigilFault', code: 'TypeError' },
      },
    ]);
    expect(t.vault.written).toEqual([]);
    expect(await finishSignIn(t.deps, await t.signIn(url), NOW)).toMatchObject({ kind: 'connected' });
  });
});
