import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphStats } from '../../../../local/cloud/graph/createGraphApp.js';
import { addGeneratedApplications, addMicrosoftServicePrincipals } from '../../../../local/cloud/scenario/generateDirectory.js';
import { directorySelects } from '../../../../shared/adapters/graph/toDirectoryChanges.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT, testScenario } from '../../../support/testScenario.js';

/**
 * The Graph emulator at the scale of a large tenant: 100,000 applications, each with its service
 * principal (one in 500 a SAML app), and 600 of Microsoft's own, listed in full through paging and read
 * through a delta round, the way Vigil's scanner reads a tenant. Graph's limits are lifted here: they
 * are tested elsewhere, and at 150 keyCredentials selects a minute a full read would take a minute.
 */
const APPS = 100_000;
const MICROSOFT = 600;
let t: TestCloud;
let token: string;
let seededIn = 0;
const report = (line: string) => {
  if (process.env['VIGIL_SCALE_REPORT']) console.log(line);
};

beforeAll(async () => {
  t = await startTestCloud({
    scenario: testScenario(),
    limits: { graph: { keyCredentialsSelectsPerMinute: 1e9, resourceUnitsPer10s: 1e9, writesPer150s: 1e9 } },
  });
  const started = performance.now();
  const { directory } = t.cloud.context.store;
  const tenant = directory.tenant(TENANT)!;
  addGeneratedApplications(directory, tenant, t.cloud.context.store.now(), {
    count: APPS,
    name: (i) => `Scale app ${i}`,
    secretEndsInDays: (i) => 30 + (i % 700),
    servicePrincipals: true,
    samlCertificateEndsInDays: (i) => (i % 500 === 0 ? 90 : undefined),
  });
  addMicrosoftServicePrincipals(directory, tenant, MICROSOFT);
  seededIn = performance.now() - started;
  token = (await t.credential().getToken(`${GRAPH}/.default`)).token;
}, 120_000);
afterAll(async () => t?.stop());

interface Page {
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Follows `@odata.nextLink` to the end, as a pager does; returns every object and the last page's delta link. */
async function readAll(first: string, headers: Record<string, string> = {}) {
  const items: Array<Record<string, unknown>> = [];
  let url: string | undefined = `${t.cloud.endpoints.clouds.global!.graph}${first}`;
  let deltaLink: string | undefined;
  let pages = 0;
  while (url) {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    pages += 1;
    for (const item of page.value) items.push(item);
    url = page['@odata.nextLink'];
    deltaLink = page['@odata.deltaLink'];
  }
  return { items, pages, deltaLink };
}

const select = (collection: 'applications' | 'servicePrincipals') => `$select=${directorySelects[collection].join(',')}`;
const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

describe(`a tenant of ${APPS.toLocaleString('en')} applications and their service principals`, () => {
  it('lists every application and service principal once, in pages of 999', async () => {
    const apps = await timed(() => readAll(`/v1.0/applications?${select('applications')}&$top=999`));
    const sps = await timed(() => readAll(`/v1.0/servicePrincipals?${select('servicePrincipals')}&$top=999`));
    const scenarioApps = testScenario().tenants[0]!.applications!.length;
    expect(apps.value.items).toHaveLength(APPS + scenarioApps);
    expect(new Set(apps.value.items.map((a) => a['id'])).size).toBe(apps.value.items.length);
    expect(apps.value.pages).toBe(Math.ceil((APPS + scenarioApps) / 999));
    const spIds = new Set(sps.value.items.map((s) => s['id']));
    expect(spIds.size).toBe(sps.value.items.length);
    expect(sps.value.items.filter((s) => s['preferredSingleSignOnMode'] === 'saml')).toHaveLength(APPS / 500 + 1);
    expect(sps.value.items.length).toBeGreaterThanOrEqual(APPS + MICROSOFT);
    report(
      `seeded in ${Math.round(seededIn)} ms; listed ${apps.value.items.length} apps in ${apps.value.pages} pages (${Math.round(apps.ms)} ms) and ${sps.value.items.length} service principals in ${sps.value.pages} pages (${Math.round(sps.ms)} ms); rss ${Math.round(process.memoryUsage().rss / 1_048_576)} MB`,
    );
  }, 120_000);

  it('finds one object by id and by app id without walking the tenant', async () => {
    const appId = t.cloud.context.store.directory.tenant(TENANT)!.applications.all().at(-1)!.appId;
    const byAppId = await readAll(`/v1.0/servicePrincipals?$filter=appId eq '${appId}'&$select=id,appId,publisherName`);
    expect(byAppId.items).toEqual([expect.objectContaining({ appId, publisherName: 'Contoso' })]);
    const graph = t.cloud.endpoints.clouds.global!.graph;
    const one = await fetch(`${graph}/v1.0/applications(appId='${appId}')?$select=id,appId`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await one.json()) as Record<string, unknown>)['appId']).toBe(appId);
    const microsoft = await readAll(
      `/v1.0/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'&$select=displayName,appOwnerOrganizationId,publisherName`,
    );
    expect(microsoft.items).toEqual([
      expect.objectContaining({
        displayName: 'Microsoft Graph',
        appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
        publisherName: 'Microsoft Services',
      }),
    ]);
  });

  it('reads a delta round in full, then only the 1 % changed since', async () => {
    const prefer = { prefer: 'odata.maxpagesize=999' };
    const first = await timed(() => readAll(`/v1.0/applications/delta?${select('applications')}`, prefer));
    expect(first.value.items.length).toBeGreaterThan(APPS);
    const { directory } = t.cloud.context.store;
    const tenant = directory.tenant(TENANT)!;
    const now = t.cloud.context.store.now();
    const changed = tenant.applications
      .all()
      .filter((a) => /^Scale app \d+$/.test(a.displayName) && Number(a.displayName.slice(10)) % 100 === 50);
    for (const app of changed)
      directory.addPassword(tenant, app, { start: now, end: new Date(now.getTime() + 400 * 86_400_000), displayName: 'rotated' });
    const requestsBefore = graphStats(t.cloud.context).requests;
    const second = await timed(() => readAll(first.value.deltaLink!.slice(t.cloud.endpoints.clouds.global!.graph.length), prefer));
    expect(second.value.items.map((a) => a['id']).sort()).toEqual(changed.map((a) => a.id).sort());
    expect(graphStats(t.cloud.context).requests - requestsBefore).toBe(Math.ceil(changed.length / 999));
    report(
      `delta: first round ${first.value.items.length} apps in ${Math.round(first.ms)} ms; ${second.value.items.length} changed in ${Math.round(second.ms)} ms`,
    );
  }, 120_000);
});
