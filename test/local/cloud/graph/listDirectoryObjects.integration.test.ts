import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { graphStats } from '../../../../local/cloud/graph/createGraphApp.js';
import { collectionInfo } from '../../../../local/cloud/graph/directoryCollections.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { OTHER_TENANT, TENANT } from '../../../support/testScenario.js';
import { appIdOf, applicationOf, errorOf, graphFetch, READER_SECRET, scenarioWithApps } from './graphTestSupport.js';

const GENERATED = 230;
let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ scenario: scenarioWithApps(GENERATED) });
});
afterAll(async () => t.stop());

describe('GET /applications through the Graph client', () => {
  it('pages with $select and $top through PageIterator, following absolute /v1.0/ nextLinks', async () => {
    const client = t.graphClient();
    const first = (await client
      .api('/applications')
      .select(['id', 'appId', 'displayName', 'passwordCredentials'])
      .top(100)
      .get()) as PageCollection;
    expect(first['@odata.context']).toBe(
      `${t.cloud.endpoints.clouds.global!.graph}/v1.0/$metadata#applications(id,appId,displayName,passwordCredentials)`,
    );
    expect(first['@odata.nextLink']).toMatch(
      new RegExp(`^${t.cloud.endpoints.clouds.global!.graph}/v1\\.0/applications\\?.*\\$top=100.*\\$skiptoken=`),
    );
    const seen: Array<Record<string, unknown>> = [];
    const requestsBefore = graphStats(t.cloud.context).requests;
    const iterator = new PageIterator(client, first, (item: Record<string, unknown>) => {
      seen.push(item);
      return true;
    });
    await iterator.iterate();
    expect(iterator.isComplete()).toBe(true);
    // 235 applications in pages of 100: the first page above, then two more requests.
    expect(graphStats(t.cloud.context).requests - requestsBefore).toBe(2);
    expect(seen).toHaveLength(GENERATED + 5);
    expect(new Set(seen.map((a) => a['id'])).size).toBe(seen.length);
    expect(Object.keys(seen[0]!).sort()).toEqual(['appId', 'displayName', 'id', 'passwordCredentials']);
    const creatio = seen.find((a) => a['displayName'] === 'Creatio CRM')!;
    const credentials = creatio['passwordCredentials'] as Array<Record<string, unknown>>;
    expect(credentials).toHaveLength(2);
    expect(Object.keys(credentials[0]!).sort()).toEqual([
      'customKeyIdentifier',
      'displayName',
      'endDateTime',
      'hint',
      'keyId',
      'secretText',
      'startDateTime',
    ]);
    expect(credentials.map((c) => [c['displayName'], c['hint'], c['secretText']])).toEqual([
      ['current', 'cre', null],
      ['expired', 'cre', null],
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/secretHash|creatio-current-secret/);
  });

  it('returns the default property set without $select, certificates without their key', async () => {
    const page = (await t.graphClient().api('/applications').filter(`displayName eq 'UiPath Robot'`).get()) as PageCollection;
    expect(page.value).toHaveLength(1);
    const robot = page.value[0] as Record<string, unknown>;
    expect(robot).toMatchObject({
      displayName: 'UiPath Robot',
      appId: appIdOf(t, 'UiPath Robot'),
      passwordCredentials: [],
      deletedDateTime: null,
    });
    const [key] = robot['keyCredentials'] as Array<Record<string, unknown>>;
    expect(key).toMatchObject({ displayName: 'CN=uipath', key: null, type: 'AsymmetricX509Cert', usage: 'Verify' });
    expect(Object.keys(key!).sort()).toEqual([
      'customKeyIdentifier',
      'displayName',
      'endDateTime',
      'key',
      'keyId',
      'startDateTime',
      'type',
      'usage',
    ]);
  });

  it('reads an application without $select as Graph v1.0 does: its documented default property set, in order', async () => {
    const robot = (await graphFetch(t, `/v1.0/applications/${applicationOf(t, 'UiPath Robot').id}`)).body!;
    // The documented default set (api-reference/v1.0/resources/application.md, "JSON representation"), which $select accepts too.
    expect(Object.keys(robot).filter((k) => !k.startsWith('@odata'))).toEqual(collectionInfo.applications.properties);
    expect(collectionInfo.applications.properties).toHaveLength(37);
    expect(robot).toMatchObject({
      publisherDomain: 'contoso.onmicrosoft.com',
      web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
      api: { oauth2PermissionScopes: [] },
    });
  });

  it('filters by appId, id, displayName (ignoring case) and startswith(displayName)', async () => {
    const client = t.graphClient();
    const byAppId = (await client
      .api('/applications')
      .filter(`appId eq '${appIdOf(t, 'Cerb Helpdesk')}'`)
      .select('id,displayName')
      .get()) as PageCollection;
    expect(byAppId.value).toEqual([{ id: applicationOf(t, 'Cerb Helpdesk').id, displayName: 'Cerb Helpdesk' }]);
    const byId = (await client
      .api('/applications')
      .filter(`id eq '${applicationOf(t, 'Vigil').id}'`)
      .get()) as PageCollection;
    expect(byId.value.map((a: { displayName: string }) => a.displayName)).toEqual(['Vigil']);
    const byName = (await client.api('/applications').filter(`displayName eq 'creatio crm'`).get()) as PageCollection;
    expect(byName.value).toHaveLength(1);
    const prefix = (await client
      .api('/applications')
      .filter(`startswith(displayName,'Generated app 00')`)
      .select('displayName')
      .get()) as PageCollection;
    expect(prefix.value).toHaveLength(9);
  });

  it('answers an unsupported $filter and a $top over 999 with 400 Request_UnsupportedQuery', async () => {
    const filter = await graphFetch(t, `/v1.0/applications?$filter=${encodeURIComponent("signInAudience eq 'AzureADMyOrg'")}`);
    expect(filter.status).toBe(400);
    expect(errorOf(filter)).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Unsupported or invalid query filter clause specified for property 'signInAudience' of resource 'Application'.",
    });
    const top = await graphFetch(t, '/v1.0/applications?$top=1000');
    expect(top.status).toBe(400);
    expect(errorOf(top)).toMatchObject({
      code: 'Request_UnsupportedQuery',
      message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    });
  });

  it("reads one application by id and by applications(appId='…')", async () => {
    const client = t.graphClient();
    const cerb = applicationOf(t, 'Cerb Helpdesk');
    const byId = (await client.api(`/applications/${cerb.id}`).select('id,appId,passwordCredentials').get()) as Record<string, unknown>;
    expect(byId).toMatchObject({ id: cerb.id, appId: cerb.appId });
    expect(byId['@odata.context']).toMatch(/\$metadata#applications\(id,appId,passwordCredentials\)\/\$entity$/);
    const byAppId = (await client.api(`/applications(appId='${cerb.appId}')`).get()) as Record<string, unknown>;
    expect(byAppId).toMatchObject({ id: cerb.id, displayName: 'Cerb Helpdesk' });
  });

  it('answers an unknown object with 404 Request_ResourceNotFound, request ids echoed', async () => {
    const missing = '99999999-9999-4999-8999-999999999999';
    const response = await graphFetch(t, `/v1.0/applications/${missing}`, { headers: { 'client-request-id': 'my-correlation-id' } });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        code: 'Request_ResourceNotFound',
        message: `Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`,
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
          'request-id': response.headers.get('request-id'),
          'client-request-id': 'my-correlation-id',
        },
      },
    });
    expect(response.headers.get('client-request-id')).toBe('my-correlation-id');
    await expect(t.graphClient().api(`/applications(appId='${missing}')`).get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
  });

  it('does not list deleted applications', async () => {
    const store = t.cloud.context.store;
    const doomed = applicationOf(t, 'Generated app 230');
    store.directory.deleteApplication(store.directory.tenant(TENANT)!, doomed);
    const page = (await t
      .graphClient()
      .api('/applications')
      .filter(`startswith(displayName,'Generated app 2')`)
      .select('displayName')
      .get()) as PageCollection;
    const names = page.value.map((a: { displayName: string }) => a.displayName);
    expect(names).toHaveLength(30); // 200 to 229; 230 is deleted
    expect(names).not.toContain('Generated app 230');
    expect((await graphFetch(t, `/v1.0/applications/${doomed.id}`)).status).toBe(404);
  });

  it('counts applications with $count, an advanced query that needs ConsistencyLevel: eventual', async () => {
    const listed = (await t.graphClient().api('/applications').select('id').top(999).get()) as PageCollection;
    const count = (await t.graphClient().api('/applications/$count').header('ConsistencyLevel', 'eventual').get()) as unknown;
    expect(Number(count)).toBe(listed.value.length);
    await expect(t.graphClient().api('/applications/$count').get()).rejects.toMatchObject({ statusCode: 400 });
  });

  it('serves at most 100 applications a page with $expand, whatever $top asks (Graph known issue)', async () => {
    const page = (await t
      .graphClient()
      .api('/applications')
      .select('id')
      .expand('owners($select=id,mail)')
      .top(999)
      .get()) as PageCollection;
    expect(page.value).toHaveLength(100);
    expect(page['@odata.nextLink']).toMatch(/\$skiptoken=/);
  });
});

describe('GET /servicePrincipals', () => {
  it('shows the SAML service principal with its signing certificate and owner organisation', async () => {
    const page = (await t.graphClient().api('/servicePrincipals').filter(`preferredSingleSignOnMode eq 'saml'`).get()) as PageCollection;
    expect(page.value).toHaveLength(1);
    const saml = page.value[0] as Record<string, unknown>;
    expect(saml).toMatchObject({
      displayName: 'Contoso SAML',
      appOwnerOrganizationId: OTHER_TENANT,
      preferredSingleSignOnMode: 'saml',
      servicePrincipalType: 'Application',
      accountEnabled: true,
      preferredTokenSigningKeyEndDateTime: expect.any(String),
    });
    expect(saml['keyCredentials']).toEqual([expect.objectContaining({ usage: 'Sign', key: null, type: 'AsymmetricX509Cert' })]);
  });

  it('reads a service principal without $select with its documented property set, publisher included', async () => {
    const page = (await graphFetch(t, `/v1.0/servicePrincipals(appId='${appIdOf(t, 'Vigil')}')`)).body!;
    // api-reference/v1.0/api/serviceprincipal-get.md, example 1 (which shows publisherName), and the resource's JSON representation.
    expect(Object.keys(page).filter((k) => !k.startsWith('@odata'))).toEqual(collectionInfo.servicePrincipals.properties);
    expect(collectionInfo.servicePrincipals.properties).toEqual(
      expect.arrayContaining(['publisherName', 'verifiedPublisher', 'samlSingleSignOnSettings']),
    );
    expect(page).toMatchObject({
      publisherName: 'Contoso',
      appOwnerOrganizationId: TENANT,
      appRoles: expect.arrayContaining([expect.objectContaining({ value: 'Vigil.Read' })]),
    });
    const saml = (await t.graphClient().api('/servicePrincipals').filter(`preferredSingleSignOnMode eq 'saml'`).get()) as PageCollection;
    const [signing] = (saml.value[0] as { keyCredentials: Array<{ customKeyIdentifier: string }> }).keyCredentials;
    expect(saml.value[0]).toMatchObject({ publisherName: 'Fabrikam', preferredTokenSigningKeyThumbprint: signing!.customKeyIdentifier });
  });

  it('lists the tenant’s service principals with $select', async () => {
    const page = (await t
      .graphClient()
      .api('/servicePrincipals')
      .select(['appId', 'displayName', 'servicePrincipalType'])
      .get()) as PageCollection;
    expect(page.value.map((s: { displayName: string }) => s.displayName).sort()).toEqual([
      'Cerb Helpdesk',
      'Contoso SAML',
      'Creatio CRM',
      'UiPath Robot',
      'Vigil',
      'Vigil reader',
    ]);
    expect(Object.keys(page.value[0] as object).sort()).toEqual(['appId', 'displayName', 'id', 'servicePrincipalType']);
  });
});

describe('authentication and permissions', () => {
  it('refuses an app without a Graph read permission with 403 Authorization_RequestDenied', async () => {
    const reader = t.graphClient(t.credential('Vigil reader', READER_SECRET));
    await expect(reader.api('/applications').get()).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
  });

  it('refuses a missing token and a token for another audience with 401 InvalidAuthenticationToken', async () => {
    const empty = await graphFetch(t, '/v1.0/applications', { token: null });
    expect(empty.status).toBe(401);
    expect(errorOf(empty)).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    expect(empty.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const vaultToken = await t.credential().getToken('https://vault.azure.net/.default');
    const wrong = await graphFetch(t, '/v1.0/applications', { token: vaultToken.token });
    expect(errorOf(wrong)).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token validation failure. Invalid audience.',
    });
  });

  it('answers with Graph’s headers', async () => {
    const response = await graphFetch(t, '/v1.0/applications?$select=id&$top=1');
    expect(response.headers.get('content-type')).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(response.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-ms-resource-unit')).toBe('1');
  });
});
