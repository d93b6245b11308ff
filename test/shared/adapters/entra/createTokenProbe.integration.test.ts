import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokenProbe } from '../../../../shared/adapters/entra/createTokenProbe.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT, VIGIL_SECRET } from '../../../support/testScenario.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());
afterEach(async () => t.admin('/admin/faults', undefined, 'DELETE'));

const probe = () =>
  createTokenProbe(t.cloud.endpoints.clouds.global!.login, `${GRAPH}/.default`, {
    vigilFaultLog: createVigilFaultLog(() => undefined),
  });
const vigilAppId = () => t.cloud.seed!.appIds['Vigil']!;
/** The next `times` requests to the tenant's token endpoint get `action` (the local cloud's admin faults). */
const fault = (action: object, times = 1) =>
  t.admin('/admin/faults', { service: 'entra', path: `^/${TENANT}/oauth2/v2.0/token$`, method: 'POST', action, times });

describe("the rotation's token probe, over the sign-ins' node sender", () => {
  it('accepts a secret Entra takes, and names the code of one it refuses', async () => {
    expect(await probe().request(TENANT, vigilAppId(), VIGIL_SECRET)).toEqual({ kind: 'accepted' });
    expect(await probe().request(TENANT, vigilAppId(), 'not-the-secret')).toMatchObject({
      kind: 'rejected',
      code: expect.stringMatching(/^invalid_client AADSTS/),
    });
  });

  it('sends a request whose connection was dropped again, as a sign-in is, rather than calling Entra unreachable', async () => {
    await fault({ kind: 'drop' });
    expect(await probe().request(TENANT, vigilAppId(), VIGIL_SECRET)).toEqual({ kind: 'accepted' });
  });

  it('is unreachable when every try is dropped, naming only the socket error code, and logs nothing of the request', async () => {
    await fault({ kind: 'drop' }, 3);
    const logged: string[] = [];
    const watched = createTokenProbe(t.cloud.endpoints.clouds.global!.login, `${GRAPH}/.default`, {
      vigilFaultLog: createVigilFaultLog((line) => logged.push(line)),
    });
    expect(await watched.request(TENANT, vigilAppId(), VIGIL_SECRET)).toEqual({
      kind: 'unreachable',
      reason: expect.stringMatching(/^(ECONNRESET|connection failed)$/),
    });
    expect(logged).toEqual([]);
  });

  it('is unreachable (TimeoutError) when Entra gives no answer within the deadline, rather than waiting for ever as fetch did', async () => {
    await fault({ kind: 'latency', ms: 2_000 }, 3);
    const logged: string[] = [];
    const quick = createTokenProbe(t.cloud.endpoints.clouds.global!.login, `${GRAPH}/.default`, {
      vigilFaultLog: createVigilFaultLog((line) => logged.push(line)),
      deadlineMs: 300,
    });
    expect(await quick.request(TENANT, vigilAppId(), VIGIL_SECRET)).toEqual({ kind: 'unreachable', reason: 'TimeoutError' });
    expect(logged).toEqual([]);
  });
});
