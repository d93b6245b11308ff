import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectTelemetry } from '../../../../local/devhost/collectTelemetry.js';
import { createTokenEndpoint } from '../../../../shared/adapters/entra/createTokenEndpoint.js';
import { createOpenTelemetry } from '../../../../shared/adapters/telemetry/createOpenTelemetry.js';
import type { TokenRefreshRequest } from '../../../../shared/tokens/TokenPorts.js';
import { classifyTokenError } from '../../../../shared/tokens/classifyTokenError.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { CERB_APP_ID, TENANT } from '../../../support/testScenario.js';
import { connection } from '../../tokens/tokenTestData.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const IMAP = 'https://outlook.office.com/IMAP.AccessAsUser.All';
const collected = collectTelemetry();
const telemetry = createOpenTelemetry(collected.exporters);
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => {
  await telemetry.shutdown();
  await t.stop();
});

/** A refresh as the token keeper sends it, with `scopes` as a connection's vigil-scopes tag would give them. */
async function refreshRequest(scopes: string[]): Promise<TokenRefreshRequest> {
  const { refreshToken } = (await t.admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
    client: 'Cerb Helpdesk',
    user: 'ops@contoso.onmicrosoft.com',
    scopes: ['offline_access', IMAP],
  })) as { refreshToken: string };
  return {
    cloud: 'global',
    tenant: TENANT,
    clientId: CERB_APP_ID,
    credential: { kind: 'clientSecret', secret: 'cerb-client-secret-0123456789' },
    refreshToken,
    scopes,
  };
}

const endpoint = (deadlineMs?: number) =>
  createTokenEndpoint({ loginHost: () => t.cloud.endpoints.clouds.global!.login, ...(deadlineMs ? { deadlineMs } : {}) });
const refreshWith = async (scopes: string[]) => endpoint().refresh(await refreshRequest(scopes));

/** The next `times` requests to the tenant's token endpoint get `action` (the local cloud's admin faults). */
const fault = (action: object, times = 1) =>
  t.admin('/admin/faults', { service: 'entra', path: `^/${TENANT}/oauth2/v2.0/token$`, method: 'POST', action, times });

describe('a typo in vigil-scopes', () => {
  it.each([
    ['a permission the resource does not publish', 'https://outlook.office.com/IMAP.AccesAsUser.All', 'AADSTS70011'],
    ['a resource that does not exist', 'https://outlok.office.com/IMAP.AccessAsUser.All', 'AADSTS500011'],
  ])('%s is a configuration error, not a consent to grant', async (_case, scope, code) => {
    const result = await refreshWith(['offline_access', scope]);
    if (result.kind === 'granted') throw new Error('a misspelt scope was granted');
    const classified = classifyTokenError(result, connection());
    expect(classified).toMatchObject({ failureClass: 'configError', code });
    expect(classified.cause).toContain('check vigil-scopes');
  });

  it('leaves the right scopes granted', async () => {
    expect(await refreshWith(['offline_access', IMAP])).toMatchObject({ kind: 'granted', grantedScopes: [IMAP] });
  });
});

describe('a token request with no whole answer', () => {
  it('is unreachable past its deadline, not left waiting', async () => {
    const request = await refreshRequest(['offline_access', IMAP]);
    await fault({ kind: 'latency', ms: 5_000 });
    const started = performance.now();
    expect(await endpoint(300).refresh(request)).toEqual({ kind: 'unreachable', reason: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('is unreachable when its connection is dropped, naming only the socket error code', async () => {
    const request = await refreshRequest(['offline_access', IMAP]);
    await fault({ kind: 'drop' });
    const result = await endpoint().refresh(request);
    expect(result).toMatchObject({ kind: 'unreachable' });
    expect(result.kind === 'unreachable' && result.reason).toMatch(/^(E[A-Z]+|connection failed)$/);
  });
});

it("is a login dependency of the invocation, with its status and the trace sent on (Application Insights' view of a refresh)", async () => {
  const request = await refreshRequest(['offline_access', IMAP]);
  await fault({ kind: 'status', status: 503 });
  const result = await telemetry.run(`00-${TRACE_ID}-00f067aa0ba902b7-01`, () => endpoint().refresh(request));
  expect(result).toMatchObject({ kind: 'rejected', status: 503 });
  const loginOrigin = new URL(t.cloud.endpoints.clouds.global!.login).origin;
  expect(collected.dependencies().filter((d) => d.traceId === TRACE_ID)).toEqual([
    { name: 'HTTP POST', url: `${loginOrigin}/`, status: 503, traceId: TRACE_ID },
  ]);
});
