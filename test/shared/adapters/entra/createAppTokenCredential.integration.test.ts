import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certificatesDir } from '../../../../local/paths.js';
import { ensureCertificates } from '../../../../local/cloud/tls/ensureCertificates.js';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';
import { createTenantCredential, type HomeAccess } from '../../../../shared/adapters/azure/createTenantCredential.js';
import { isCredentialError, tokenEndpointStatus } from '../../../../shared/helpers/isCredentialError.js';
import { createAppTokenCredential } from '../../../../shared/adapters/entra/createAppTokenCredential.js';
import { classifyGraphError } from '../../../../shared/adapters/graph/classifyGraphError.js';
import { createApplicationCredentials } from '../../../../shared/adapters/graph/createApplicationCredentials.js';
import { createGraphClient } from '../../../../shared/adapters/graph/createGraphClient.js';
import { createPageFetcher, defaultRetryBudget } from '../../../../shared/adapters/graph/createPageFetcher.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';
import { createSlidingWindowBudget } from '../../../../shared/helpers/createSlidingWindowBudget.js';
import type { TenantConfig } from '../../../../shared/settings/tenantsSetting.js';
import { readCertificatePem } from '../../../../shared/tokens/readCertificatePem.js';
import type { ClientCredential } from '../../../../shared/tokens/TokenPorts.js';
import { selfSignedCertificate } from '../../../support/selfSignedCertificate.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, OTHER_TENANT, TENANT, VIGIL_SECRET } from '../../../support/testScenario.js';
import { tokenEndpointFault } from '../../../support/tokenEndpointFault.js';

let t: TestCloud;
let endpoints: typeof cloudEndpoints.global & { overridden: boolean };
let vigilAppId: string;
beforeAll(async () => {
  t = await startTestCloud();
  const global = t.cloud.endpoints.clouds.global!;
  endpoints = { ...cloudEndpoints.global, login: global.login, graph: global.graph, overridden: true };
  vigilAppId = t.cloud.seed!.appIds['Vigil']!;
});
afterAll(async () => t.stop());
afterEach(async () => t.admin('/admin/faults', undefined, 'DELETE'));

/** Counts the token requests the local Entra receives from now on: a fault that adds nothing and is never used up. */
function countTokenRequests(): () => number {
  const { faults } = t.cloud.context;
  const id = faults.add({ service: 'entra', path: '/oauth2/v2.0/token$', method: 'POST', action: { kind: 'latency', ms: 0 }, times: 1e9 });
  return () => 1e9 - (faults.list().find((f) => f.id === id)?.remaining ?? 1e9);
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** The Vigil app signing in to Contoso with `credential`, at the local Entra unless another login host is given. */
const signingInWith = (credential: ClientCredential, more: { loginHost?: string; clock?: () => number; timeoutMs?: number } = {}) =>
  createAppTokenCredential({ loginHost: endpoints.login, clientId: vigilAppId, tenantId: TENANT, credential, ...more });

const withSecret = (secret: string, clock?: () => number) => signingInWith({ kind: 'clientSecret', secret }, clock ? { clock } : {});

/** A new certificate, uploaded to the Vigil app's key credentials, read as Vigil reads one from Key Vault. */
async function uploadedCertificate(name: string): Promise<ClientCredential> {
  const certificate = await selfSignedCertificate(name);
  await t.admin('/admin/applications/Vigil/key-credentials', { certificate: certificate.certificatePem });
  const read = readCertificatePem(certificate.pem);
  if ('problem' in read) throw new Error(read.problem);
  return { kind: 'certificate', certificate: read };
}

/** What a scan reports when its Graph client could not get a token: the real client, wrapping the credential's error. */
async function scanFailureWith(credential: ReturnType<typeof withSecret>) {
  const error = await createGraphClient(credential, endpoints)
    .api('/applications')
    .get()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return classifyGraphError(error);
}

describe("a multi-tenant app's own sign-in to a tenant", () => {
  it('gets a Graph token of the tenant with the client secret, from its token endpoint alone', async () => {
    const requests = countTokenRequests();
    const token = (await withSecret(VIGIL_SECRET).getToken(`${GRAPH}/.default`, { tenantId: TENANT }))!;

    expect(claimsOf(token.token)).toMatchObject({ tid: TENANT, appid: vigilAppId });
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(requests()).toBe(1);
  });

  it('gets one with a certificate, as an assertion Entra accepts', async () => {
    const credential = signingInWith(await uploadedCertificate('vigil-app-credential'));

    expect(claimsOf((await credential.getToken(`${GRAPH}/.default`))!.token)).toMatchObject({ tid: TENANT, appid: vigilAppId });
  });

  it('signs a new assertion for a request sent again: Entra refuses one presented twice', async () => {
    const credential = signingInWith(await uploadedCertificate('vigil-app-credential-resent'));
    // Entra handles the first request (its assertion's jti is spent) and a gateway fails on the way back.
    await t.admin('/admin/faults', { ...tokenEndpointFault(503, 1), action: { kind: 'status', status: 503, afterHandling: true } });

    expect(claimsOf((await credential.getToken(`${GRAPH}/.default`))!.token)).toMatchObject({ tid: TENANT, appid: vigilAppId });
    expect(t.cloud.context.faults.list().find((f) => f.action.kind === 'status')?.remaining).toBe(0);
  });

  it('reports a refused secret as a wrong credential, naming the AADSTS code and never the secret', async () => {
    const secret = 'a-secret-entra-does-not-know-0123456789';
    const error = await withSecret(secret)
      .getToken(`${GRAPH}/.default`)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );

    expect(isCredentialError(error)).toBe(true);
    expect(tokenEndpointStatus(error)).toBe(401);
    expect(error?.message).not.toContain(secret);
    expect(await scanFailureWith(withSecret(secret))).toEqual({
      kind: 'failed',
      failure: { code: 'authentication', reason: 'sign-in to the tenant failed (AADSTS7000215)' },
    });
  });

  it('reports a throttled token endpoint as an Entra outage, and asks it nothing more until its Retry-After has passed', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(429, 1, 60));
    const credential = withSecret(VIGIL_SECRET);

    expect(await scanFailureWith(credential)).toMatchObject({
      failure: {
        code: 'signInUnavailable',
        reason: "Entra's token endpoint would not give Vigil a token for the tenant (HTTP 429: throttled)",
      },
    });
    const requests = countTokenRequests();
    const again = await credential.getToken(`${GRAPH}/.default`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(tokenEndpointStatus(again)).toBe(429);
    expect(requests()).toBe(0);
  });

  it('is asked again once Retry-After has passed', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(429, 1, 60));
    let movedMs = 0;
    const credential = withSecret(VIGIL_SECRET, () => Date.now() + movedMs);
    await expect(credential.getToken(`${GRAPH}/.default`)).rejects.toThrow(/Status code: 429/);

    movedMs = 61_000;
    expect((await credential.getToken(`${GRAPH}/.default`))?.token).toBeTruthy();
  });

  it('keeps a Retry-After far in the future for an hour at most', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(503, 1, 10 * 3600));
    let movedMs = 0;
    const credential = withSecret(VIGIL_SECRET, () => Date.now() + movedMs);
    await expect(credential.getToken(`${GRAPH}/.default`)).rejects.toThrow(/Status code: 503/);

    movedMs = 3600_000 - 60_000;
    await expect(credential.getToken(`${GRAPH}/.default`)).rejects.toThrow(/Status code: 503/);
    movedMs = 3600_000 + 1_000;
    expect((await credential.getToken(`${GRAPH}/.default`))?.token).toBeTruthy();
  });

  it('sends a token request again after a brief Entra failure, and gets the token', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(503, 1));
    const requests = countTokenRequests();

    const token = (await withSecret(VIGIL_SECRET).getToken(`${GRAPH}/.default`))!;

    expect(claimsOf(token.token)).toMatchObject({ tid: TENANT });
    expect(t.cloud.context.faults.list().find((f) => f.action.kind === 'status')?.remaining).toBe(0);
    expect(requests()).toBe(1);
  });

  it('waits out a Retry-After that fits in the deadline, then gets the token', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(429, 1, 1));
    const startedMs = Date.now();

    const token = (await withSecret(VIGIL_SECRET).getToken(`${GRAPH}/.default`))!;

    expect(claimsOf(token.token)).toMatchObject({ tid: TENANT });
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(1_000);
  });

  it('reports a token endpoint failing on every try as an outage, after three tries', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(500, 10));
    const requests = countTokenRequests();
    const credential = withSecret(VIGIL_SECRET);

    await expect(credential.getToken(`${GRAPH}/.default`)).rejects.toThrow(/Status code: 500/);
    expect(t.cloud.context.faults.list().find((f) => f.action.kind === 'status')?.remaining).toBe(7);
    expect(requests()).toBe(0);
  });

  it('reports a 200 without a token as an Entra outage, not as a wrong credential', async () => {
    await t.admin('/admin/faults', {
      ...tokenEndpointFault(200, 1),
      action: { kind: 'status', status: 200, body: { token_type: 'Bearer' } },
    });

    expect(await scanFailureWith(withSecret(VIGIL_SECRET))).toEqual({
      kind: 'failed',
      failure: { code: 'signInUnavailable', reason: "Entra's token endpoint would not give Vigil a token for the tenant (HTTP 502)" },
    });
  });

  it('does not hold up another tenant while one waits out its Retry-After or is throttled', async () => {
    await t.admin('/admin/faults', tokenEndpointFault(429, 1, 2));
    const credential = withSecret(VIGIL_SECRET);
    const settled: string[] = [];

    const throttled = credential.getToken(`${GRAPH}/.default`, { tenantId: TENANT }).then(() => settled.push(TENANT));
    // Vigil is not consented in the other tenant: Entra refuses it at once, and that answer is what it gets.
    const other = credential.getToken(`${GRAPH}/.default`, { tenantId: OTHER_TENANT }).catch((e: unknown) => {
      settled.push(OTHER_TENANT);
      return e;
    });
    await Promise.all([throttled, other]);

    expect(settled).toEqual([OTHER_TENANT, TENANT]);
    expect(tokenEndpointStatus(await other)).not.toBe(429);
  });

  it('reports a token endpoint that does not answer within the deadline as Entra not answering the sign-in', async () => {
    await t.admin('/admin/faults', { ...tokenEndpointFault(200, 1), action: { kind: 'latency', ms: 2_000 } });
    const credential = signingInWith({ kind: 'clientSecret', secret: VIGIL_SECRET }, { timeoutMs: 300 });

    expect(await scanFailureWith(credential)).toEqual({
      kind: 'failed',
      failure: { code: 'signInUnavailable', reason: "Entra did not answer Vigil's sign-in to the tenant within 300 ms" },
    });
  });

  it('sends a token request once more when its connection was cut, and gets the token', async () => {
    // The first matching fault applies: the cut comes first, and the counter sees only the request sent again.
    await t.admin('/admin/faults', { ...tokenEndpointFault(200, 1), action: { kind: 'drop' } });
    const requests = countTokenRequests();

    const token = (await withSecret(VIGIL_SECRET).getToken(`${GRAPH}/.default`, { tenantId: TENANT }))!;

    expect(claimsOf(token.token)).toMatchObject({ tid: TENANT });
    expect(t.cloud.context.faults.list().find((f) => f.action.kind === 'drop')?.remaining).toBe(0);
    expect(requests()).toBe(1);
  });

  it('reports a token endpoint it cannot reach twice as Entra unreachable, not as a wrong credential nor as Graph failing', async () => {
    // A port nothing listens on: the connection is refused.
    const unreachable = signingInWith({ kind: 'clientSecret', secret: VIGIL_SECRET }, { loginHost: 'https://127.0.0.1:1' });

    expect(await scanFailureWith(unreachable)).toEqual({
      kind: 'failed',
      failure: {
        code: 'signInUnavailable',
        reason: "Vigil could not reach Entra's token endpoint to sign in to the tenant (ECONNREFUSED)",
      },
    });
  });

  it('throws a sign-in it could not make as it is, at once: no outage of Entra, and a scan says it could not check, naming no URL', async () => {
    // A login host that makes no URL: node refuses the request before anything is sent.
    const broken = signingInWith({ kind: 'clientSecret', secret: VIGIL_SECRET }, { loginHost: 'not a login host' });

    await expect(broken.getToken(`${GRAPH}/.default`, { tenantId: TENANT })).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
    expect(await scanFailureWith(broken)).toEqual({
      kind: 'failed',
      failure: {
        code: 'vigilFault',
        reason: "Vigil could not make its request to the tenant (TypeError): a fault in Vigil or its settings, not Graph's",
      },
    });
    // Its fix text sends the person to Vigil's logs: the scan's reads leave the error's class and stack there, not its URL,
    // once an hour for the process (a bad setting fails every read of every tenant the same way), though every read fails.
    const warnings: string[] = [];
    const vigilFaultLog = createVigilFaultLog((line) => warnings.push(line));
    const readsOfTwoTenants = [1, 2].map(() =>
      createPageFetcher(createGraphClient(broken, endpoints), {
        pacer: createSlidingWindowBudget(150, 60_000),
        sleep: async () => undefined,
        budget: defaultRetryBudget,
        vigilFaultLog,
      }),
    );
    for (const fetcher of [...readsOfTwoTenants, ...readsOfTwoTenants])
      expect(await fetcher.get('/applications')).toMatchObject({ kind: 'failed', failure: { code: 'vigilFault' } });
    expect(warnings).toEqual([expect.stringMatching(/^Graph request Vigil could not make \(vigilFault\): TypeError\n\s+at /)]);
    expect(warnings[0]).toMatch(/\n\(further requests failing with this trace are logged at most once an hour\)$/);
    expect(warnings[0]).not.toMatch(/not a login host|Invalid URL/);
    // A rotation's Graph call fails the same way, and is not retried as an outage.
    const rotation = createApplicationCredentials(() => createGraphClient(broken, endpoints), vigilFaultLog);
    expect(await rotation.find(TENANT, { appId: 'b0000000-0000-4000-8000-000000000001' })).toMatchObject({
      kind: 'failed',
      transient: false,
    });
  });

  it('names a TLS failure by its code, digits and all, not as a connection that merely failed', async () => {
    // A login host that asks for a client certificate Vigil does not have: TLS 1.3 ends the connection
    // with the alert "certificate required" once the handshake is done.
    const { certPem, keyPem } = await ensureCertificates(certificatesDir);
    const server = createServer({ cert: certPem, key: keyPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const demanding = signingInWith({ kind: 'clientSecret', secret: VIGIL_SECRET }, { loginHost: `https://localhost:${port}` });

      expect(await scanFailureWith(demanding)).toEqual({
        kind: 'failed',
        failure: {
          code: 'signInUnavailable',
          reason: "Vigil could not reach Entra's token endpoint to sign in to the tenant (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)",
        },
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("keeps each tenant's token for its later Graph requests: the token endpoint is asked once per tenant", async () => {
    let secretReads = 0;
    const made = await createTenantCredential(
      tenantSigningIn('clientSecret', 'vigil-secret'),
      endpoints,
      homeReading(async () => ((secretReads += 1), VIGIL_SECRET)),
    );
    if (!made.ok) throw new Error(made.failure.reason);
    const requests = countTokenRequests();

    const first = await made.credential.getToken(`${GRAPH}/.default`);
    const second = await made.credential.getToken(`${GRAPH}/.default`);
    expect(second?.token).toBe(first?.token);
    expect(requests()).toBe(1);
    expect(secretReads).toBe(1);
  });

  it('refuses a certificate secret that is no usable PEM before any sign-in, quoting nothing of it', async () => {
    const value = 'MIIB-not-a-pem-but-secret-looking-0123456789';
    const made = await createTenantCredential(
      tenantSigningIn('certificate', 'vigil-cert'),
      endpoints,
      homeReading(async () => value),
    );

    expect(made).toMatchObject({ ok: false, failure: { code: 'authentication' } });
    const reason = made.ok ? '' : made.failure.reason;
    expect(reason).toContain('"vigil-cert"');
    expect(reason).toContain('is not a PEM holding both a certificate and its private key');
    expect(reason).not.toContain(value);
  });
});

/** Contoso, signed in to as the Vigil app with the secret or certificate in Key Vault secret `name`. */
const tenantSigningIn = (kind: 'clientSecret' | 'certificate', name: string): TenantConfig => ({
  tenantId: TENANT,
  displayName: 'Contoso',
  cloud: 'global',
  auth: { kind, clientId: vigilAppId, keyVaultSecretName: name },
  routing: {},
});

/** Vigil's own access as createTenantCredential needs it, reading the tenant's secret with `readSecret` (Key Vault's part). */
const homeReading = (readSecret: HomeAccess['readSecret']): HomeAccess => ({
  credential: withSecret('unused'),
  defaultVaultUrl: 'https://vault.example/',
  readSecret,
  appCredential: (_key, create) => create(),
});
