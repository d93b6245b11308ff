import { constants, createPublicKey, verify } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../../../../shared/adapters/entra/createAuthorizationServer.js';
import type { CodeRedemption } from '../../../../shared/signIn/SignInPorts.js';
import { classifyTokenError } from '../../../../shared/tokens/classifyTokenError.js';
import { readCertificatePem } from '../../../../shared/tokens/readCertificatePem.js';
import { connection } from '../../tokens/tokenTestData.js';
import { selfSignedCertificate } from '../../../support/selfSignedCertificate.js';

// The checking half of the code redemption, against hand-built answers: no network.
const LOGIN = 'https://login.example';
const ignoreFaults = () => {};
const TENANT = '11111111-1111-4111-8111-111111111111';
const ISSUER = `${LOGIN}/${TENANT}/v2.0`;
const CLIENT = '44f628de-020f-43a1-ad06-1b052459bdc3';
let keys: { signing: CryptoKey; other: CryptoKey; jwk: object };

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  keys = {
    signing: pair.privateKey,
    other: other.privateKey,
    jwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' },
  };
});

const idToken = ({ iss = ISSUER, aud = CLIENT, ...claims }: Record<string, unknown> = {}, key = keys.signing) =>
  new SignJWT({ tid: TENANT, oid: 'o-1', preferred_username: 'ops@contoso.com', name: 'Ops', nonce: 'nonce-1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(String(iss))
    .setAudience(String(aud))
    .setSubject('pairwise-sub')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);

function fakeEntra(tokenAnswer: () => Promise<Response>): { fetch: typeof fetch; forms: URLSearchParams[] } {
  const forms: URLSearchParams[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/.well-known/openid-configuration'))
      return Response.json({
        issuer: ISSUER,
        token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
        jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
      });
    if (url.endsWith('/discovery/v2.0/keys')) return Response.json({ keys: [keys.jwk] });
    forms.push(new URLSearchParams(String(init?.body)));
    return tokenAnswer();
  }) as typeof fetch;
  return { fetch: fetchFn, forms };
}

const request = (callback = 'code=the-code&state=st-1'): CodeRedemption => ({
  cloud: 'global',
  tenant: TENANT,
  clientId: CLIENT,
  credential: { kind: 'clientSecret', secret: 'client-secret-value' },
  callback: new URLSearchParams(callback),
  expectedState: 'st-1',
  redirectUri: 'https://vigil.example/api/signed-in',
  codeVerifier: 'verifier-0123456789012345678901234567890123',
  nonce: 'nonce-1',
  scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
});
const server = (answer: () => Promise<Response>) => {
  const entra = fakeEntra(answer);
  return {
    server: createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: ignoreFaults, fetch: entra.fetch }),
    forms: entra.forms,
  };
};
const tokens = async (claims: Record<string, unknown> = {}, key?: CryptoKey) =>
  Response.json({
    token_type: 'Bearer',
    access_token: 'at',
    expires_in: 3599,
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
    refresh_token: 'rt-value',
    id_token: await idToken(claims, key),
  });

describe('createAuthorizationServer', () => {
  it('redeems the code with the secret and verifier and returns the checked user', async () => {
    const { server: s, forms } = server(() => tokens());
    const answer = await s.redeem(request());
    expect(answer).toMatchObject({
      kind: 'redeemed',
      refreshToken: 'rt-value',
      grantedScopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
      user: { tenantId: TENANT, objectId: 'o-1', username: 'ops@contoso.com', name: 'Ops' },
    });
    expect(Object.fromEntries(forms[0]!)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://vigil.example/api/signed-in',
      code_verifier: 'verifier-0123456789012345678901234567890123',
      client_id: CLIENT,
      client_secret: 'client-secret-value',
      scope: 'openid profile offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
    });
  });

  it("redeems with a certificate as Microsoft's certificate-credentials page describes the assertion", async () => {
    const pem = (await selfSignedCertificate('cerb-helpdesk')).pem;
    const certificate = readCertificatePem(pem);
    if ('problem' in certificate) throw new Error(certificate.problem);
    const { server: s, forms } = server(() => tokens());
    const now = DateTime.utc();
    expect((await s.redeem({ ...request(), credential: { kind: 'certificate', certificate } })).kind).toBe('redeemed');
    const form = Object.fromEntries(forms[0]!);
    expect(form).toMatchObject({ client_id: CLIENT, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' });
    expect(form).not.toHaveProperty('client_secret');
    const assertion = form['client_assertion']!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'PS256', typ: 'JWT', 'x5t#S256': certificate.thumbprintSha256 });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ aud: `${LOGIN}/${TENANT}/oauth2/v2.0/token`, iss: CLIENT, sub: CLIENT });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    // Dated now, and short-lived (Entra documents no upper bound; its page suggests 5 to 10 minutes).
    expect(Math.abs(claims.iat! - now.toSeconds())).toBeLessThan(5);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(600);
    const verifyKey = createPublicKey(pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----')));
    const [header, payload, signature] = assertion.split('.');
    const signed = Buffer.from(`${header}.${payload}`);
    const pss = { key: verifyKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    expect(verify('sha256', signed, pss, Buffer.from(signature!, 'base64url'))).toBe(true);
  });

  it.each([
    ['another nonce', { nonce: 'replayed' }, undefined],
    ['another audience', { aud: 'someone-else' }, undefined],
    ['another issuer', { iss: `${LOGIN}/evil/v2.0` }, undefined],
    ['a signature by a key the tenant does not publish', {}, 'other'],
  ])('refuses an ID token with %s', async (_what, claims, key) => {
    const { server: s } = server(() => tokens(claims, key === 'other' ? keys.other : undefined));
    expect((await s.redeem(request())).kind).toBe('invalidIdToken');
  });

  it('hands back Entra refusals by code, never by description', async () => {
    const { server: s } = server(async () =>
      Response.json(
        {
          error: 'invalid_grant',
          error_description: 'AADSTS54005: OAuth2 Authorization code was already redeemed',
          error_codes: [54005],
          correlation_id: 'c-1',
        },
        { status: 400 },
      ),
    );
    expect(await s.redeem(request())).toEqual({
      kind: 'rejected',
      status: 400,
      error: 'invalid_grant',
      suberror: undefined,
      codes: [54005],
      correlationId: 'c-1',
      retryAfterMs: undefined,
    });
  });

  it('reads an error sent to the redirect URI without calling the token endpoint', async () => {
    const { server: s, forms } = server(() => tokens());
    const answer = await s.redeem(request('error=access_denied&error_description=AADSTS65004%3A+declined&state=st-1'));
    expect(answer).toMatchObject({ kind: 'rejected', error: 'access_denied' });
    expect(forms).toEqual([]);
  });

  it('says the tenant could not be reached when its configuration cannot be fetched', async () => {
    const failing = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: ignoreFaults, fetch: failing });
    expect(await s.redeem(request())).toEqual({ kind: 'unreachable', reason: 'ECONNREFUSED' });
  });

  it.each([
    ['no code (a port fetch blocks)', { message: 'bad port' }, 'TypeError'],
    ['a code for a request fetch will not make', { code: 'UND_ERR_INVALID_ARG' }, 'UND_ERR_INVALID_ARG'],
  ])(
    'tells a fetch failure with %s as a fault in Vigil or its settings and logs its trace, not as Entra unreachable',
    async (_case, cause, code) => {
      const failing = (async () => {
        throw Object.assign(new TypeError(`fetch failed`), { cause });
      }) as typeof fetch;
      const faults: [unknown, string][] = [];
      const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: (e, r) => void faults.push([e, r]), fetch: failing });
      expect(await s.redeem(request())).toEqual({
        kind: 'vigilFault',
        code,
        reason: `Vigil could not make its request to Entra (${code}): a fault in Vigil or its settings`,
      });
      // Every fetch fails, so the first, the tenant's OpenID configuration, is the request not made.
      expect(faults).toEqual([[expect.objectContaining({ name: 'TypeError', cause }), 'OpenID configuration request']]);
    },
  );

  it('tells a token request fetch will not make, after the configuration was read, as a fault in Vigil and logs it as the token request', async () => {
    const cause = { message: 'bad port' };
    const entra = fakeEntra(async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause });
    });
    const faults: [unknown, string][] = [];
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: (e, r) => void faults.push([e, r]), fetch: entra.fetch });
    expect(await s.redeem(request())).toEqual({
      kind: 'vigilFault',
      code: 'TypeError',
      reason: 'Vigil could not make its request to Entra (TypeError): a fault in Vigil or its settings',
    });
    // The redemption was the one fetch refused: asked once, never answered, and no signing keys read after it.
    expect(entra.forms).toHaveLength(1);
    expect(entra.forms[0]!.get('code')).toBe('the-code');
    expect(faults).toEqual([[expect.objectContaining({ name: 'TypeError', cause }), 'Token request']]);
  });

  it('logs a signing keys request fetch will not make, after the token was answered, as the signing keys request', async () => {
    const entra = fakeEntra(() => tokens());
    const refusingKeys = (async (input: string | URL | Request, init?: RequestInit) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/discovery/v2.0/keys'))
        throw Object.assign(new TypeError('fetch failed'), { cause: { message: 'bad port' } });
      return entra.fetch(input, init);
    }) as typeof fetch;
    const faults: string[] = [];
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: (_e, r) => void faults.push(r), fetch: refusingKeys });
    expect(await s.redeem(request())).toMatchObject({ kind: 'vigilFault', code: 'TypeError' });
    expect(faults).toEqual(['Signing keys request']);
  });

  it('says a fetch that ran out of time timed out', async () => {
    const slow = (async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    }) as typeof fetch;
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: ignoreFaults, fetch: slow });
    expect(await s.redeem(request())).toEqual({ kind: 'unreachable', reason: 'TimeoutError' });
  });

  it.each([
    [
      'an HTML 503 from a gateway',
      () => new Response('<html>Service Unavailable</html>', { status: 503, headers: { 'content-type': 'text/html' } }),
    ],
    ['a 429 without a body', () => new Response(null, { status: 429, headers: { 'retry-after': '7' } })],
  ])('hands back %s by its status, for the classifier to call transient', async (_case, answer) => {
    const { server: s } = server(async () => answer());
    const result = await s.redeem(request());
    expect(result).toMatchObject({ kind: 'rejected', codes: [], error: undefined });
    if (result.kind !== 'rejected') throw new Error(result.kind);
    expect(classifyTokenError(result, connection()).failureClass).toBe('transient');
    if (result.status === 429) expect(result.retryAfterMs).toBe(7000);
  });

  it('reads a Retry-After date against its clock, not the wall clock', async () => {
    const twoDaysAhead = () => Date.now() + 2 * 86_400_000;
    const retryAt = new Date(twoDaysAhead() + 30_000).toUTCString();
    const entra = fakeEntra(async () => new Response(null, { status: 429, headers: { 'retry-after': retryAt } }));
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: ignoreFaults, fetch: entra.fetch, clock: twoDaysAhead });
    const result = await s.redeem(request());
    if (result.kind !== 'rejected') throw new Error(result.kind);
    // The header's date has whole seconds: between 29 and 30 s from the clock's now.
    expect(result.retryAfterMs).toBeGreaterThan(28_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('throws what is no network failure instead of calling it unreachable', async () => {
    const broken = (async () => {
      throw new TypeError('Cannot read properties of undefined');
    }) as typeof fetch;
    const s = createAuthorizationServer({ loginHost: () => LOGIN, vigilFaultLog: ignoreFaults, fetch: broken });
    await expect(s.redeem(request())).rejects.toThrow(TypeError);
  });
});
