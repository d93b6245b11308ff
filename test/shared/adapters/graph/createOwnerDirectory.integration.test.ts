import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwnerDirectory } from '../../../../shared/adapters/graph/createOwnerDirectory.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { TENANT, testScenario } from '../../../support/testScenario.js';
import { applicationOf } from '../../../local/cloud/graph/graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  const scenario = testScenario();
  const home = scenario.tenants[0]!;
  home.users = [
    ...(home.users ?? []),
    // A user without an Exchange Online licence: Graph shows `mail: null`.
    { userPrincipalName: 'contractor@contoso.onmicrosoft.com', mail: null },
    { userPrincipalName: 'j.doe@contoso.onmicrosoft.com', mail: 'Jane.Doe@contoso.com' },
  ];
  home.applications = [
    ...(home.applications ?? []),
    { displayName: 'Owned app', owners: ['contractor@contoso.onmicrosoft.com', 'j.doe@contoso.onmicrosoft.com', 'Vigil'] },
  ];
  t = await startTestCloud({ scenario });
});
afterAll(async () => t.stop());

describe('createOwnerDirectory against the local Graph', () => {
  it('mails user owners at their mailbox, an owner without one at the UPN, and never a service principal', async () => {
    const warnings: string[] = [];
    const owners = createOwnerDirectory(t.graphClient(), TENANT, (line) => warnings.push(line));
    const app = applicationOf(t, 'Owned app');
    const addresses = await owners.mailOwnersOf([{ tenantId: TENANT, kind: 'application', id: app.id }]);
    expect(addresses.sort()).toEqual(['contractor@contoso.onmicrosoft.com', 'jane.doe@contoso.com']);
    expect(warnings).toEqual([]);
  });

  it('leaves out the owners of an object Graph cannot find, saying so', async () => {
    const warnings: string[] = [];
    const owners = createOwnerDirectory(t.graphClient(), TENANT, (line) => warnings.push(line));
    expect(await owners.mailOwnersOf([{ tenantId: TENANT, kind: 'application', id: '00000000-0000-4000-8000-000000000000' }])).toEqual([]);
    expect(warnings).toEqual(['could not read the owners of application 00000000-0000-4000-8000-000000000000: HTTP 404']);
  });
});
