import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtLocalEntra } from '../../../support/signInAtLocalEntra.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { TENANT } from '../../../support/testScenario.js';
import { CERB_SECRET, HELPDESK, IMAP, OPS, signInScenario } from '../../../shared/signIn/signInScenario.js';

const REDIRECT = 'https://vigil.example/api/signed-in';
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ scenario: signInScenario({ cerbRedirectUris: [REDIRECT, 'http://localhost/api/signed-in'] }) });
});
afterAll(async () => t.stop());

const login = () => t.cloud.endpoints.clouds.global!.login;
const cerb = () => t.cloud.seed!.appIds['Cerb Helpdesk']!;
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const authorizeUrl = (extra: Record<string, string> = {}) =>
  `${login()}/${TENANT}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: cerb(),
    response_type: 'code',
    redirect_uri: REDIRECT,
    response_mode: 'query',
    scope: `openid profile offline_access ${IMAP}`,
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge_method: 'S256',
    ...extra,
  }).toString()}`;
const redeem = async (code: string, verifier: string, extra: Record<string, string> = {}) => {
  const response = await fetch(`${login()}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cerb(),
      client_secret: CERB_SECRET,
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      scope: `openid profile offline_access ${IMAP}`,
      ...extra,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const refreshWith = (refreshToken: string) =>
  fetch(`${login()}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: cerb(), client_secret: CERB_SECRET, refresh_token: refreshToken }),
  });
const codeFor = async (person: { username: string; password: string; consent?: 'accept' | 'cancel' }, challenge: string) => {
  const result = await signInAtLocalEntra(authorizeUrl({ code_challenge: challenge }), person);
  if (result.kind !== 'redirect') throw new Error(result.html.slice(0, 400));
  return result.location;
};

describe('the local authorization endpoint', () => {
  it('lists the tenant users with the hinted one picked, and asks consent only for scopes not granted', async () => {
    const page = await (await fetch(authorizeUrl({ code_challenge: pkce().challenge, login_hint: OPS.username }))).text();
    expect(page).toContain('Helpdesk mailbox');
    expect(page).toMatch(/value="ops@contoso.onmicrosoft.com" checked/);
    const { challenge } = pkce();
    // The helpdesk user granted IMAP and offline_access already: straight back to the app.
    const back = await codeFor(HELPDESK, challenge);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('code')).toBeTruthy();
  });

  it('issues a signed ID token with the nonce and the user, and a refresh token that works', async () => {
    const { verifier, challenge } = pkce();
    const back = await codeFor(OPS, challenge);
    const { status, body } = await redeem(back.searchParams.get('code')!, verifier);
    expect(status, JSON.stringify(body)).toBe(200);
    const keys = createRemoteJWKSet(new URL(`${login()}/${TENANT}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(String(body['id_token']), keys, { issuer: `${login()}/${TENANT}/v2.0`, audience: cerb() });
    expect(payload).toMatchObject({ nonce: 'nonce-456', tid: TENANT, preferred_username: OPS.username, ver: '2.0' });
    expect(body['scope']).toBe(IMAP);
    expect(decodeJwt(String(body['access_token']))).toMatchObject({ aud: 'https://outlook.office.com', upn: OPS.username });
    expect((await refreshWith(String(body['refresh_token']))).status).toBe(200);
  });

  it('refuses a reused code, a wrong verifier and another redirect URI with Entra’s codes', async () => {
    const { verifier, challenge } = pkce();
    const code = (await codeFor(HELPDESK, challenge)).searchParams.get('code')!;
    expect((await redeem(code, 'not-the-verifier-at-all-0123456789012345')).body).toMatchObject({
      error: 'invalid_grant',
      error_codes: [501481],
    });
    const second = await codeFor(HELPDESK, challenge);
    expect((await redeem(second.searchParams.get('code')!, verifier, { redirect_uri: 'https://elsewhere.example/cb' })).body).toMatchObject(
      {
        error_codes: [500112],
      },
    );
    const third = (await codeFor(HELPDESK, challenge)).searchParams.get('code')!;
    expect((await redeem(third, verifier)).status).toBe(200);
    expect((await redeem(third, verifier)).body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('refuses an expired code with AADSTS70008', async () => {
    const { verifier, challenge } = pkce();
    const code = (await codeFor(HELPDESK, challenge)).searchParams.get('code')!;
    await t.admin('/admin/clock', { advanceMs: 11 * 60_000 });
    try {
      expect((await redeem(code, verifier)).body).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
    } finally {
      await t.admin('/admin/clock', { advanceMs: -11 * 60_000 });
    }
  });

  it('stays on an error page for a redirect URI the app does not have (AADSTS50011), but accepts any localhost port', async () => {
    const page = await signInAtLocalEntra(authorizeUrl({ redirect_uri: 'https://attacker.example/cb', code_challenge: 'x' }), HELPDESK);
    expect(page).toMatchObject({ kind: 'page', status: 400 });
    expect(page.kind === 'page' && page.html).toContain('AADSTS50011');
    const local = await signInAtLocalEntra(
      authorizeUrl({ redirect_uri: 'http://localhost:7071/api/signed-in', code_challenge: 'x' }),
      HELPDESK,
    );
    expect(local.kind === 'redirect' && local.location.port).toBe('7071');
  });

  it('sends access_denied back when the user declines consent, and records consent when accepted', async () => {
    const mail = 'https://outlook.office.com/SMTP.Send';
    const declined = await signInAtLocalEntra(authorizeUrl({ scope: `openid offline_access ${mail}`, code_challenge: 'x' }), {
      ...HELPDESK,
      consent: 'cancel',
    });
    expect(declined.kind === 'redirect' && Object.fromEntries(declined.location.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'state-123',
    });
    expect(declined.kind === 'redirect' && declined.location.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
    const accepted = await signInAtLocalEntra(authorizeUrl({ scope: `openid offline_access ${mail}`, code_challenge: 'x' }), HELPDESK);
    expect(accepted.kind === 'redirect' && accepted.location.searchParams.has('code')).toBe(true);
    // Granted now: the next sign-in goes straight back.
    const again = await signInAtLocalEntra(authorizeUrl({ scope: `openid offline_access ${mail}`, code_challenge: 'x' }), {
      ...HELPDESK,
      consent: 'cancel',
    });
    expect(again.kind === 'redirect' && again.location.searchParams.has('code')).toBe(true);
  });

  it('refuses a wrong password (AADSTS50126) and a disabled user (AADSTS50057); a revoked user signs in again', async () => {
    const wrong = await signInAtLocalEntra(authorizeUrl({ code_challenge: 'x' }), { ...HELPDESK, password: 'nope' });
    expect(wrong.kind === 'page' && wrong.html).toContain('AADSTS50126');
    const noPassword = await signInAtLocalEntra(authorizeUrl({ code_challenge: 'x' }), {
      username: 'nopassword@contoso.onmicrosoft.com',
      password: '',
    });
    expect(noPassword.kind === 'page' && noPassword.html).toContain('AADSTS50126');
    await t.admin(`/admin/tenants/${TENANT}/users/${OPS.username}/disable`, {});
    const disabled = await signInAtLocalEntra(authorizeUrl({ code_challenge: 'x' }), OPS);
    expect(disabled.kind === 'page' && disabled.html).toContain('AADSTS50057');
    await t.admin(`/admin/tenants/${TENANT}/users/${OPS.username}/enable`, {});

    await t.admin(`/admin/tenants/${TENANT}/users/${HELPDESK.username}/revoke-sessions`, {});
    const { verifier, challenge } = pkce();
    const back = await codeFor(HELPDESK, challenge);
    const { status, body } = await redeem(back.searchParams.get('code')!, verifier);
    expect(status).toBe(200);
    expect((await refreshWith(String(body['refresh_token']))).status).toBe(200);
  });

  it('satisfies an MFA demand by the interactive sign-in: its token and the ones it rotates into refresh', async () => {
    const before = (await t.admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
      client: 'Cerb Helpdesk',
      user: OPS.username,
      scopes: ['offline_access', IMAP],
    })) as { refreshToken: string };
    await t.admin(`/admin/tenants/${TENANT}/users/${OPS.username}/require-mfa`, {});
    const old = await refreshWith(before.refreshToken);
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error_codes: number[] }).error_codes).toEqual([50076]);

    const { verifier, challenge } = pkce();
    const { body } = await redeem((await codeFor(OPS, challenge)).searchParams.get('code')!, verifier);
    const first = (await (await refreshWith(String(body['refresh_token']))).json()) as Record<string, unknown>;
    expect(first['access_token']).toBeTruthy();
    expect((await refreshWith(String(first['refresh_token']))).status).toBe(200);
    await t.admin(`/admin/tenants/${TENANT}/users/${OPS.username}/require-mfa`, { required: false });
  });
});
