import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenEndpoint } from '../../../../shared/adapters/entra/createTokenEndpoint.js';
import { classifyTokenError } from '../../../../shared/tokens/classifyTokenError.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { CERB_APP_ID, TENANT } from '../../../support/testScenario.js';
import { connection } from '../../tokens/tokenTestData.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

/** A refresh as the token keeper sends it, with `scopes` as a connection's vigil-scopes tag would give them. */
async function refreshWith(scopes: string[]) {
  const { refreshToken } = (await t.admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
    client: 'Cerb Helpdesk',
    user: 'ops@contoso.onmicrosoft.com',
    scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
  })) as { refreshToken: string };
  const endpoint = createTokenEndpoint({ loginHost: () => t.cloud.endpoints.clouds.global!.login });
  return endpoint.refresh({
    cloud: 'global',
    tenant: TENANT,
    clientId: CERB_APP_ID,
    credential: { kind: 'clientSecret', secret: 'cerb-client-secret-0123456789' },
    refreshToken,
    scopes,
  });
}

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
    expect((await refreshWith(['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'])).kind).toBe('granted');
  });
});
