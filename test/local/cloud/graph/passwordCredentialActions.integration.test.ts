import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageCollection } from '@microsoft/microsoft-graph-client';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT } from '../../../support/testScenario.js';
import { appIdOf, applicationOf, errorOf, graphFetch, READER_SECRET } from './graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

interface AddedPassword {
  keyId: string;
  secretText: string;
  hint: string;
  displayName: string | null;
  startDateTime: string;
  endDateTime: string;
  customKeyIdentifier: null;
}

describe('addPassword', () => {
  it('adds a secret to an owned application that the token endpoint accepts at once', async () => {
    const creatio = applicationOf(t, 'Creatio CRM');
    const added = (await t
      .graphClient()
      .api(`/applications/${creatio.id}/addPassword`)
      .post({ passwordCredential: { displayName: 'rotated by Vigil' } })) as AddedPassword;
    expect(added).toMatchObject({ customKeyIdentifier: null, displayName: 'rotated by Vigil', hint: added.secretText.slice(0, 3) });
    expect(added.secretText).toHaveLength(40);
    // "The default value is startDateTime + 2 years" (application-addpassword): calendar years, 731 days over a 29 February.
    const start = new Date(added.startDateTime);
    expect(new Date(added.endDateTime).getUTCFullYear()).toBe(start.getUTCFullYear() + 2);
    expect(added.endDateTime.slice(4)).toBe(added.startDateTime.slice(4));
    expect(creatio.passwordCredentials.map((c) => c.keyId)).toContain(added.keyId);
    expect(JSON.stringify(t.cloud.context.store.data)).not.toContain(added.secretText);

    const token = await t.credential('Creatio CRM', added.secretText).getToken(`${GRAPH}/.default`);
    expect(token.token).toBeTruthy();
  });

  it.each([
    ['2027-03-01T00:00:00.000Z', '2029-03-01T00:00:00.000Z'],
    ['2027-06-15T10:20:30.000Z', '2029-06-15T10:20:30.000Z'],
    ['2028-02-29T12:00:00.000Z', '2030-02-28T12:00:00.000Z'],
  ])('ends a secret starting %s two calendar years later, on %s', async (startDateTime, endDateTime) => {
    const added = (await t
      .graphClient()
      .api(`/applications(appId='${appIdOf(t, 'Cerb Helpdesk')}')/addPassword`)
      .post({ passwordCredential: { displayName: 'dated', startDateTime } })) as AddedPassword;
    expect(added).toMatchObject({ startDateTime, endDateTime });
  });

  it("accepts applications(appId='…') and the dates asked for", async () => {
    const end = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const added = (await t
      .graphClient()
      .api(`/applications(appId='${appIdOf(t, 'Cerb Helpdesk')}')/addPassword`)
      .post({ passwordCredential: { displayName: 'short', endDateTime: end } })) as AddedPassword;
    expect(Date.parse(added.endDateTime)).toBe(Date.parse(end));
  });

  it('refuses an application the caller does not own, and a caller without write permission', async () => {
    const robot = applicationOf(t, 'UiPath Robot');
    await expect(t.graphClient().api(`/applications/${robot.id}/addPassword`).post({ passwordCredential: {} })).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    const reader = t.graphClient(t.credential('Vigil reader', READER_SECRET));
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    await expect(reader.api(`/applications/${cerb.id}/addPassword`).post({ passwordCredential: {} })).rejects.toMatchObject({
      statusCode: 403,
    });
    const sp = t.cloud.context.store.servicePrincipal(t.cloud.context.store.tenant(TENANT)!, robot.appId)!;
    await expect(t.graphClient().api(`/servicePrincipals/${sp.id}/addPassword`).post({ passwordCredential: {} })).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('answers an unknown application with 404 and a bad end date with 400', async () => {
    const missing = await graphFetch(t, '/v1.0/applications/99999999-9999-4999-8999-999999999999/addPassword', {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe('Request_ResourceNotFound');
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const body = JSON.stringify({ passwordCredential: { startDateTime: '2030-01-02T00:00:00Z', endDateTime: '2030-01-01T00:00:00Z' } });
    const backwards = await graphFetch(t, `/v1.0/applications/${cerb.id}/addPassword`, { method: 'POST', body });
    expect(backwards.status).toBe(400);
  });
});

describe('removePassword', () => {
  it('removes a secret (204) so the token endpoint refuses it', async () => {
    const client = t.graphClient();
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const added = (await client
      .api(`/applications/${cerb.id}/addPassword`)
      .post({ passwordCredential: { displayName: 'temporary' } })) as AddedPassword;
    await t.credential('Cerb Helpdesk', added.secretText).getToken(`${GRAPH}/.default`);
    const removed = await graphFetch(t, `/v1.0/applications/${cerb.id}/removePassword`, {
      method: 'POST',
      body: JSON.stringify({ keyId: added.keyId }),
    });
    expect(removed.status).toBe(204);
    expect(cerb.passwordCredentials.map((c) => c.keyId)).not.toContain(added.keyId);
    await expect(t.credential('Cerb Helpdesk', added.secretText).getToken(`${GRAPH}/.default`)).rejects.toThrow(/AADSTS7000215/);
  });

  it('answers a key id the application does not have with 400', async () => {
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const keyId = '00000000-0000-4000-8000-000000000000';
    const response = await graphFetch(t, `/v1.0/applications/${cerb.id}/removePassword`, {
      method: 'POST',
      body: JSON.stringify({ keyId }),
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toBe(`No password credential found with keyId ${keyId}.`);
  });
});

describe('GET /applications/{id}/owners', () => {
  it("lists the owning app's service principal as a directoryObject", async () => {
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const owners = (await t.graphClient().api(`/applications/${cerb.id}/owners`).get()) as PageCollection;
    expect(owners.value).toEqual([
      expect.objectContaining({ '@odata.type': '#microsoft.graph.servicePrincipal', displayName: 'Vigil', appId: appIdOf(t, 'Vigil') }),
    ]);
  });

  it('shows user owners with their user principal name and mail', async () => {
    const store = t.cloud.context.store;
    const tenant = store.tenant(TENANT)!;
    const robot = applicationOf(t, 'UiPath Robot');
    const ops = tenant.users.find((u) => u.userPrincipalName === 'ops@contoso.onmicrosoft.com')!;
    store.directory.setOwners(robot, [ops.id]);
    const owners = (await t.graphClient().api(`/applications/${robot.id}/owners`).get()) as PageCollection;
    expect(owners.value).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.user',
        id: ops.id,
        userPrincipalName: 'ops@contoso.onmicrosoft.com',
        mail: 'ops@contoso.onmicrosoft.com',
        displayName: 'ops@contoso.onmicrosoft.com',
      }),
    ]);
  });
});
