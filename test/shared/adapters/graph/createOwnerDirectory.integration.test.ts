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
    const { addresses, unread } = await owners.mailOwnersOf([{ tenantId: TENANT, kind: 'application', id: app.id }]);
    expect(unread).toBeUndefined();
    expect(addresses.sort()).toEqual(['contractor@contoso.onmicrosoft.com', 'jane.doe@contoso.com']);
    expect(warnings).toEqual([]);
  });

  it('leaves out the owners of an object Graph cannot find, saying so', async () => {
    const warnings: string[] = [];
    const owners = createOwnerDirectory(t.graphClient(), TENANT, (line) => warnings.push(line));
    const line =
      "could not read the owners of 1 app, left out of the mail's recipients: application 00000000-0000-4000-8000-000000000000: HTTP 404 Request_ResourceNotFound";
    expect(await owners.mailOwnersOf([{ tenantId: TENANT, kind: 'application', id: '00000000-0000-4000-8000-000000000000' }])).toEqual({
      addresses: [],
      unread: line,
    });
    expect(warnings).toEqual([line]);
  });

  it('says in one line, with the reason, when Graph refuses every lookup of a mail', async () => {
    const warnings: string[] = [];
    const owners = createOwnerDirectory(t.graphClient(), TENANT, (line) => warnings.push(line));
    const apps = Array.from({ length: 5 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    await t.admin('/admin/faults', {
      service: 'graph',
      method: 'GET',
      path: '/owners$',
      action: { kind: 'status', status: 403 },
      times: 5,
    });
    const subjects = apps.map((id) => ({ tenantId: TENANT, kind: 'application' as const, id }));
    expect((await owners.mailOwnersOf(subjects)).addresses).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^could not read the owners of 5 apps, left out of the mail's recipients: application 0{8}-0000-4000-8000-00000000000\d, application \S+, application \S+ and 2 more: HTTP 403\b/,
      ),
    ]);
  });
});
