import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from '../../../shared/api/verifyAccessToken.js';

const LOGIN = 'https://login.example';
const HOME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const seconds = (t: DateTime) => Math.floor(t.toSeconds());

let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
const fetched: string[] = [];

/** The tenant's discovery document and keys, served without a network. */
const fakeFetch = (async (input: string | URL | Request) => {
  const url = String(input);
  fetched.push(url);
  if (url === `${LOGIN}/${HOME}/v2.0/.well-known/openid-configuration`)
    return Response.json({ issuer: `${LOGIN}/${HOME}/v2.0`, jwks_uri: `${LOGIN}/${HOME}/discovery/v2.0/keys` });
  if (url === `${LOGIN}/${HOME}/discovery/v2.0/keys`)
    return Response.json({ keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  return new Response('not found', { status: 404 });
}) as typeof fetch;

const claims = { tid: HOME, oid: 'caller-oid', azp: 'caller-app', roles: ['Vigil.Read'] };
async function token(options: { payload?: JWTPayload; aud?: string; iss?: string; exp?: DateTime; key?: CryptoKey; kid?: string } = {}) {
  return new SignJWT({ ...claims, ...options.payload })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
    .setIssuer(options.iss ?? `${LOGIN}/${HOME}/v2.0`)
    .setAudience(options.aud ?? 'api://vigil')
    .setIssuedAt(seconds(NOW.minus({ minutes: 5 })))
    .setExpirationTime(seconds(options.exp ?? NOW.plus({ hours: 1 })))
    .sign(options.key ?? keys.privateKey);
}

const verifier = () => createAccessTokenVerifier({ login: LOGIN, audiences: ['api://vigil'], allowedTenants: [HOME], fetch: fakeFetch });

beforeAll(async () => {
  keys = await generateKeyPair('RS256');
  stranger = await generateKeyPair('RS256');
});

describe('createAccessTokenVerifier', () => {
  it('accepts a token from an allowed tenant with the role, and names the caller', async () => {
    expect(await verifier().verify(await token(), 'Vigil.Read', NOW)).toEqual({
      kind: 'authorized',
      caller: { appId: 'caller-app', objectId: 'caller-oid', tenantId: HOME, name: 'caller-app', roles: ['Vigil.Read'], via: 'bearer' },
    });
  });

  it('refuses a valid token without the role as forbidden', async () => {
    expect(await verifier().verify(await token(), 'Vigil.Rotate', NOW)).toMatchObject({ kind: 'forbidden', missingRole: 'Vigil.Rotate' });
  });

  it.each<[string, () => Promise<string>, string]>([
    ['expired (beyond the 60 s tolerance)', () => token({ exp: NOW.minus({ seconds: 61 }) }), 'expired'],
    ['for another audience', () => token({ aud: 'https://graph.microsoft.com' }), 'wrongAudience'],
    ['issued by another issuer', () => token({ iss: `${LOGIN}/${OTHER}/v2.0` }), 'wrongIssuer'],
    ['signed with a key the tenant does not publish under that kid', () => token({ key: stranger.privateKey }), 'badSignature'],
    ['signed with an unknown kid', () => token({ kid: 'k9' }), 'unknownKey'],
    ['without an object id', () => token({ payload: { oid: undefined } }), 'malformed'],
    ['not a JWT at all', async () => 'not-a-jwt', 'malformed'],
  ])('refuses a token %s', async (_name, make, reason) => {
    expect(await verifier().verify(await make(), 'Vigil.Read', NOW)).toMatchObject({ kind: 'unauthenticated', reason });
  });

  it('refuses a token of another tenant before fetching anything of that tenant', async () => {
    fetched.length = 0;
    expect(await verifier().verify(await token({ payload: { tid: OTHER } }), 'Vigil.Read', NOW)).toMatchObject({
      kind: 'unauthenticated',
      reason: 'tenantNotAllowed',
    });
    expect(fetched).toEqual([]);
  });

  it('reports unverifiable, not unauthenticated, when the tenant keys cannot be fetched', async () => {
    const down = createAccessTokenVerifier({
      login: LOGIN,
      audiences: ['api://vigil'],
      allowedTenants: [HOME],
      fetch: async () => new Response('', { status: 503 }),
    });
    expect(await down.verify(await token(), 'Vigil.Read', NOW)).toMatchObject({
      kind: 'unverifiable',
      reason: expect.stringMatching(/HTTP 503/),
    });
  });

  it('fetches the discovery document once per tenant', async () => {
    fetched.length = 0;
    const v = verifier();
    await v.verify(await token(), 'Vigil.Read', NOW);
    await v.verify(await token(), 'Vigil.Read', NOW);
    expect(fetched.filter((u) => u.endsWith('openid-configuration'))).toHaveLength(1);
  });
});
