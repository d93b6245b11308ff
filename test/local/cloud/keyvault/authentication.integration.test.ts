import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestError } from '@azure/core-rest-pipeline';
import { SecretClient } from '@azure/keyvault-secrets';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, OTHER_TENANT, TENANT, VAULT } from '../../../support/testScenario.js';

const KEY_VAULT = 'https://vault.azure.net';

let t: TestCloud;
let token: string;
beforeAll(async () => {
  t = await startTestCloud();
  token = (await t.credential().getToken(`${KEY_VAULT}/.default`)).token;
});
afterAll(async () => t.stop());

interface RawAnswer {
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string; innererror?: { code: string } } } & Record<string, unknown>;
}

async function vaultRequest(path: string, init: { method?: string; bearer?: string | null; body?: unknown } = {}): Promise<RawAnswer> {
  const bearer = init.bearer === undefined ? token : init.bearer;
  const response = await fetch(`${t.cloud.endpoints.vaults[VAULT]}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as RawAnswer['body']) : {} };
}

describe('challenge authentication', () => {
  it('answers a request without a token with 401 AKV10000 and a challenge naming the tenant and resource', async () => {
    const answer = await vaultRequest('/secrets/cerb-mailbox/?api%2Dversion=2025-07-01', { bearer: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } });
    const login = t.cloud.endpoints.clouds.global!.login;
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer authorization="${login}/${TENANT}", resource="${KEY_VAULT}"`);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('x-ms-keyvault-service-version')).toBeTruthy();
    expect(answer.headers.get('x-ms-keyvault-region')).toBeTruthy();
  });

  it('accepts a vault token, with api%2Dversion and a trailing slash for the latest version', async () => {
    const answer = await vaultRequest('/secrets/cerb-mailbox/?api%2Dversion=2025-07-01');
    expect(answer.status).toBe(200);
    expect(answer.body['id']).toMatch(new RegExp(`^${t.cloud.endpoints.vaults[VAULT]}/secrets/cerb-mailbox/[0-9a-f]{32}$`));
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('rejects a token for another resource with AKV10022', async () => {
    const graphToken = (await t.credential().getToken(`${GRAPH}/.default`)).token;
    const answer = await vaultRequest('/secrets?api-version=7.4', { bearer: graphToken });
    expect(answer.status).toBe(401);
    expect(answer.body.error?.message).toBe(`AKV10022: Invalid audience. Expected ${KEY_VAULT}, found: ${GRAPH}.`);
    expect(answer.headers.get('www-authenticate')).toContain(`resource="${KEY_VAULT}"`);
  });

  it('rejects expired, tampered and other-tenant tokens', async () => {
    const issue = (tenantId: string, lifetimeSeconds?: number) =>
      t.cloud.context.tokens.issue({
        issuer: `${t.cloud.endpoints.clouds.global!.login}/${tenantId}/v2.0`,
        tenantId,
        appId: t.cloud.seed!.appIds['Vigil']!,
        audience: KEY_VAULT,
        objectId: '44444444-4444-4444-8444-444444444444',
        ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
      });
    const expired = await vaultRequest('/secrets?api-version=7.4', { bearer: (await issue(TENANT, -60)).token });
    expect(expired.body.error).toEqual({ code: 'Unauthorized', message: "[TokenExpired] Error validating token: 'S2S12086'." });
    const tampered = await vaultRequest('/secrets?api-version=7.4', { bearer: `${token.slice(0, -4)}AAAA` });
    expect(tampered).toMatchObject({ status: 401, body: { error: { code: 'Unauthorized' } } });
    expect(tampered.body.error?.message).toMatch(/S2S17001/);
    const foreign = await vaultRequest('/secrets?api-version=7.4', { bearer: (await issue(OTHER_TENANT)).token });
    expect(foreign.status).toBe(401);
    expect(foreign.body.error?.message).toMatch(/^AKV10032: Invalid issuer\./);
  });

  it("denies an app without a role on the vault with 403 ForbiddenByRbac (SDK's view)", async () => {
    const reader = t.secretClient(VAULT, t.credential('Vigil reader', 'vigil-reader-secret-0123456789'));
    const error = await reader.getSecret('cerb-mailbox').then(
      () => undefined,
      (e: unknown) => e as RestError & { details?: { error?: { innerError?: { code?: string } } } },
    );
    expect(error).toMatchObject({ statusCode: 403, code: 'Forbidden' });
    expect(error?.details?.error?.innerError?.code).toBe('ForbiddenByRbac');
    expect(error?.message).toMatch(/^Caller is not authorized to perform action on resource\.\r\n/);
    expect(error?.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
    expect(error?.message).toContain(`appid=${t.cloud.seed!.appIds['Vigil reader']}`);
  });
});

describe('api-version and raw protocol details', () => {
  it('rejects a missing or unknown api-version with 400 BadParameter', async () => {
    const missing = await vaultRequest('/secrets');
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('BadParameter');
    const unknown = await vaultRequest('/secrets?api-version=7.9');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      code: 'BadParameter',
      message: 'The specified version (7.9) is not recognized. Consider using the latest supported version (2025-07-01).',
    });
    for (const version of ['7.0', '7.6', '2025-06-01']) expect((await vaultRequest(`/secrets?api-version=${version}`)).status).toBe(200);
  });

  it.each([
    '2015-06-01',
    '2016-10-01',
    '7.0-preview',
    '7.3-preview',
    '7.4-preview.1',
    '7.5-preview.1',
    '7.6-preview.2',
    '2025-06-01-preview',
  ])('accepts the documented api-version %s', async (version) =>
    expect((await vaultRequest(`/secrets?api-version=${version}`)).status).toBe(200),
  );

  it.each(['7.0', '7.2', '7.4', '7.5', '7.6', '2025-07-01'] as const)(
    'serves the SDK configured for service version %s',
    async (serviceVersion) => {
      const client = new SecretClient(t.cloud.endpoints.vaults[VAULT]!, t.credential(), {
        serviceVersion,
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
      expect((await client.getSecret('cerb-client-secret')).value).toBe('cerb-client-secret-0123456789');
    },
  );

  it.each(['7.4-preview.2', '2016-10-02', '8.0', '7.4.1'])('refuses the unknown api-version %s as the service does', async (version) => {
    const answer = await vaultRequest(`/secrets?api-version=${version}`);
    expect(answer.status).toBe(400);
    // azure-sdk-for-python#28595: "(BadParameter) The specified version (7.3) is not recognized. Consider using the latest supported version (7.1)."
    expect(answer.body.error).toEqual({
      code: 'BadParameter',
      message: `The specified version (${version}) is not recognized. Consider using the latest supported version (2025-07-01).`,
    });
  });

  it('updates the latest version through PATCH with an empty version segment, without echoing the value', async () => {
    const answer = await vaultRequest('/secrets/cerb-client-secret/?api-version=7.6', {
      method: 'PATCH',
      body: { tags: { reviewed: 'yes' }, contentType: 'text/plain' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ tags: { reviewed: 'yes' }, contentType: 'text/plain' });
    expect(answer.body['value']).toBeUndefined();
  });

  it('links pages with an absolute nextLink that carries api-version, $skiptoken and maxresults', async () => {
    const vault = t.cloud.endpoints.vaults[VAULT]!;
    const first = await vaultRequest('/secrets?api-version=7.4&maxresults=1');
    expect(first.body['value']).toHaveLength(1);
    const nextLink = first.body['nextLink'] as string;
    expect(nextLink).toMatch(new RegExp(`^${vault}/secrets\\?api-version=7\\.4&\\$skiptoken=[\\w-]+&maxresults=1$`));
    const second = await vaultRequest(nextLink.slice(vault.length));
    expect(second.body['value']).toHaveLength(1);
    expect(second.body['nextLink']).toBeNull();
    expect((second.body['value'] as Array<{ id: string }>)[0]!.id).not.toBe((first.body['value'] as Array<{ id: string }>)[0]!.id);
  });

  it('validates maxresults and pages deleted secrets with a null nextLink at the end', async () => {
    expect((await vaultRequest('/secrets?api-version=7.4&maxresults=26')).body.error?.code).toBe('BadParameter');
    const page = await vaultRequest('/deletedsecrets?api-version=7.4&maxresults=1');
    expect(page.body).toEqual({ value: [], nextLink: null });
  });
});
