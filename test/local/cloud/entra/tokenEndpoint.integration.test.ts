import { ClientCertificateCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { decodeJwt, importPKCS8, SignJWT } from 'jose';
import { selfSignedCertificate } from '../../../support/selfSignedCertificate.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT, VIGIL_SECRET } from '../../../support/testScenario.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

const tokenUrl = (tenant = TENANT) => `${t.cloud.endpoints.clouds.global!.login}/${tenant}/oauth2/v2.0/token`;
const post = async (fields: Record<string, string>, tenant?: string) => {
  const response = await fetch(tokenUrl(tenant), { method: 'POST', body: new URLSearchParams(fields) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const appId = (name: string) => t.cloud.seed!.appIds[name]!;

describe('client_credentials through @azure/identity', () => {
  it('issues a signed token with the app roles of the service principal', async () => {
    const token = await t.credential().getToken(`${GRAPH}/.default`);
    const claims = decodeJwt(token.token);
    expect(claims).toMatchObject({ aud: GRAPH, tid: TENANT, appid: appId('Vigil') });
    expect(claims['roles']).toEqual(['Application.Read.All', 'Application.ReadWrite.OwnedBy', 'Mail.Send']);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    await expect(t.credential('Vigil', 'not-the-secret-at-all-xyz').getToken(`${GRAPH}/.default`)).rejects.toThrow(/AADSTS7000215/);
    const { status, body } = await post({
      grant_type: 'client_credentials',
      client_id: appId('Vigil'),
      client_secret: 'wrong-secret-value-123',
      scope: `${GRAPH}/.default`,
    });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(body['error_description']).toMatch(
      /^AADSTS7000215: Invalid client secret provided\..*Trace ID: .*Correlation ID: .*Timestamp: /s,
    );
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['timestamp', 'trace_id', 'correlation_id', 'error_uri']));
  });

  it('rejects an expired secret with AADSTS7000222', async () => {
    const { status, body } = await post({
      grant_type: 'client_credentials',
      client_id: appId('Creatio CRM'),
      client_secret: 'creatio-expired-secret-0123456789',
      scope: `${GRAPH}/.default`,
    });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000222] });
  });

  it('rejects an unknown app with AADSTS700016 and an unknown tenant with AADSTS90002', async () => {
    const unknown = await post({
      grant_type: 'client_credentials',
      client_id: '99999999-9999-4999-8999-999999999999',
      client_secret: 'x',
      scope: `${GRAPH}/.default`,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const tenant = await post(
      { grant_type: 'client_credentials', client_id: appId('Vigil'), client_secret: VIGIL_SECRET, scope: `${GRAPH}/.default` },
      '33333333-3333-4333-8333-333333333333',
    );
    expect(tenant.body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('publishes discovery and keys that verify the issued token', async () => {
    const login = t.cloud.endpoints.clouds.global!.login;
    const config = (await (await fetch(`${login}/${TENANT}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(config['token_endpoint']).toBe(`${login}/${TENANT}/oauth2/v2.0/token`);
    const jwks = (await (await fetch(config['jwks_uri']!)).json()) as { keys: Array<{ kid: string }> };
    const token = await t.credential().getToken(`${GRAPH}/.default`);
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const { payload } = await jwtVerify(token.token, createRemoteJWKSet(new URL(config['jwks_uri']!)), {
      issuer: config['issuer']!,
      audience: GRAPH,
    });
    expect(payload['tid']).toBe(TENANT);
    expect(jwks.keys.length).toBeGreaterThan(0);
  });
});

describe('client_credentials with a certificate (client assertion) through @azure/identity', () => {
  const certificateCredential = (pem: string) =>
    new ClientCertificateCredential(
      TENANT,
      appId('Vigil'),
      { certificate: pem },
      { authorityHost: t.cloud.endpoints.clouds.global!.login, disableInstanceDiscovery: true },
    );

  it("issues a token for an assertion signed with one of the app's uploaded certificates, and refuses it once that key expired", async () => {
    const certificate = await selfSignedCertificate('vigil-scanner');
    const { keyId } = (await t.admin(`/admin/applications/Vigil/key-credentials`, { certificate: certificate.certificatePem })) as {
      keyId: string;
    };

    const token = await certificateCredential(certificate.pem).getToken(`${GRAPH}/.default`);
    expect(decodeJwt(token.token)).toMatchObject({ aud: GRAPH, tid: TENANT, appid: appId('Vigil') });

    await t.admin(`/admin/applications/Vigil/credentials/${keyId}/expire`, {});
    await expect(certificateCredential(certificate.pem).getToken(`${GRAPH}/.default`)).rejects.toThrow(
      /AADSTS700027: .*Reason - The key used is expired/,
    );
  });

  it('refuses an assertion signed with a certificate the app does not have, with AADSTS700027', async () => {
    const stranger = await selfSignedCertificate('not-uploaded');
    await expect(certificateCredential(stranger.pem).getToken(`${GRAPH}/.default`)).rejects.toThrow(
      /AADSTS700027: .*Reason - The key was not found/,
    );
  });

  it("refuses a forged assertion: an uploaded certificate's thumbprint, signed with another key", async () => {
    const [real, forger] = await Promise.all([selfSignedCertificate('vigil-real'), selfSignedCertificate('forger')]);
    await t.admin(`/admin/applications/Vigil/key-credentials`, { certificate: real.certificatePem });
    const x5t = createHash('sha1').update(new X509Certificate(real.certificatePem).raw).digest('base64url');
    const forgerKey = await importPKCS8(forger.pem.slice(0, forger.pem.indexOf('-----BEGIN CERTIFICATE-----')), 'RS256');
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', x5t })
      .setIssuer(appId('Vigil'))
      .setSubject(appId('Vigil'))
      .setAudience(tokenUrl())
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('10m')
      .sign(forgerKey);

    const { status, body } = await post({
      grant_type: 'client_credentials',
      client_id: appId('Vigil'),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: `${GRAPH}/.default`,
    });

    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(body['error_description']).toMatch(/^AADSTS700027: Client assertion failed signature validation\./);
  });

  it('accepts a PS256 assertion naming its certificate by x5t#S256 once, and refuses it replayed (same jti)', async () => {
    const certificate = await selfSignedCertificate('vigil-pss');
    await t.admin(`/admin/applications/Vigil/key-credentials`, { certificate: certificate.certificatePem });
    const x5tS256 = createHash('sha256').update(new X509Certificate(certificate.certificatePem).raw).digest('base64url');
    const key = await importPKCS8(certificate.pem.slice(0, certificate.pem.indexOf('-----BEGIN CERTIFICATE-----')), 'PS256');
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': x5tS256 })
      .setIssuer(appId('Vigil'))
      .setSubject(appId('Vigil'))
      .setAudience(tokenUrl())
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('5m')
      .sign(key);
    const form = {
      grant_type: 'client_credentials',
      client_id: appId('Vigil'),
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: `${GRAPH}/.default`,
    };

    expect((await post(form)).status).toBe(200);
    const replayed = await post(form);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: 'invalid_client', error_codes: [50027] });
    expect(replayed.body['error_description']).toMatch(/already used/);
  });
});

describe('refresh_token grant', () => {
  const refresh = (token: string) =>
    post({
      grant_type: 'refresh_token',
      client_id: appId('Cerb Helpdesk'),
      client_secret: 'cerb-client-secret-0123456789',
      refresh_token: token,
      scope: 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
    });

  it('rotates the refresh token and keeps the old one valid', async () => {
    const first = await refresh(t.cloud.seed!.refreshTokens['cerb']!);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All' });
    expect(first.body['refresh_token']).not.toBe(t.cloud.seed!.refreshTokens['cerb']);
    const again = await refresh(t.cloud.seed!.refreshTokens['cerb']!);
    expect(again.status).toBe(200);
  });

  it('answers 70000 for a token it never issued', async () => {
    const { status, body } = await refresh('0.not-a-real-token');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
  });

  const user = 'ops@contoso.onmicrosoft.com';
  const newToken = async (issuedDaysAgo = 0) =>
    (
      (await t.admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
        client: 'Cerb Helpdesk',
        user,
        scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
        issuedDaysAgo,
      })) as { refreshToken: string }
    ).refreshToken;

  it('answers 700082 for a token unused for 90 days', async () => {
    const lapsed = await refresh(await newToken(91));
    expect(lapsed.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082], suberror: 'bad_token' });
  });

  it('answers 50076 while Conditional Access demands MFA', async () => {
    const token = await newToken();
    await t.admin(`/admin/tenants/${TENANT}/users/${user}/require-mfa`, { required: true });
    expect((await refresh(token)).body).toMatchObject({ error: 'invalid_grant', error_codes: [50076], suberror: 'basic_action' });
    await t.admin(`/admin/tenants/${TENANT}/users/${user}/require-mfa`, { required: false });
    expect((await refresh(token)).status).toBe(200);
  });

  it('answers 50057 for a disabled user', async () => {
    const token = await newToken();
    await t.admin(`/admin/tenants/${TENANT}/users/${user}/disable`, {});
    expect((await refresh(token)).body).toMatchObject({ error: 'invalid_grant', error_codes: [50057] });
    await t.admin(`/admin/tenants/${TENANT}/users/${user}/enable`, {});
  });

  it('answers 65001 after consent is withdrawn', async () => {
    const token = await newToken();
    await t.admin(`/admin/tenants/${TENANT}/consent/withdraw`, { client: 'Cerb Helpdesk', user });
    expect((await refresh(token)).body).toMatchObject({ error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' });
  });

  it('answers 50173 after the admin revokes the user sessions', async () => {
    const token = await newToken();
    expect((await refresh(token)).status).toBe(200);
    await t.admin(`/admin/tenants/${TENANT}/users/${user}/revoke-sessions`, {});
    const revoked = await refresh(token);
    expect(revoked.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173], suberror: 'bad_token' });
  });

  const refreshWithScope = async (scope: string) =>
    post({
      grant_type: 'refresh_token',
      client_id: appId('Cerb Helpdesk'),
      client_secret: 'cerb-client-secret-0123456789',
      refresh_token: await newToken(),
      scope,
    });

  it('answers a permission the resource does not publish with 400 invalid_scope AADSTS70011', async () => {
    // The body of learn.microsoft.com/entra/identity-platform/reference-error-codes ("Here's a sample error response").
    const { status, body } = await refreshWithScope('offline_access https://outlook.office.com/IMAP.AccesAsUser.All');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
    expect(body['error_description']).toMatch(
      /^AADSTS70011: The provided value for the input parameter 'scope' is not valid\. The scope https:\/\/outlook\.office\.com\/IMAP\.AccesAsUser\.All is not valid\./,
    );
  });

  it('answers a resource Entra cannot find with 400 invalid_resource AADSTS500011', async () => {
    const { status, body } = await refreshWithScope('offline_access https://outlok.office.com/IMAP.AccessAsUser.All');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
    expect(body['error_description']).toMatch(
      /^AADSTS500011: The resource principal named https:\/\/outlok\.office\.com was not found in the tenant named Contoso\./,
    );
  });

  it('still answers 65001 for a published permission the user never consented to', async () => {
    const { body } = await refreshWithScope('offline_access https://outlook.office.com/SMTP.Send');
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [65001], suberror: 'consent_required' });
  });

  it('lapses every token when the clock moves past 90 days', async () => {
    const token = await newToken();
    await t.admin('/admin/clock', { advanceDays: 91 });
    try {
      expect((await refresh(token)).body).toMatchObject({ error_codes: [700082] });
    } finally {
      await t.admin('/admin/clock', { reset: true });
    }
  });
});
