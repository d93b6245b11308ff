import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { invalidateDeltaTokens } from '../../../../local/cloud/graph/createGraphApp.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { TENANT } from '../../../support/testScenario.js';
import { applicationOf, errorOf, graphFetch } from './graphTestSupport.js';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
});
afterAll(async () => t.stop());

/** A full delta round through the Graph client: every page, then the deltaLink. */
async function deltaRound(link: string, pageSize?: number): Promise<{ items: Array<Record<string, unknown>>; deltaLink: string }> {
  const client = t.graphClient();
  const options = pageSize ? { headers: { Prefer: `odata.maxpagesize=${pageSize}` } } : undefined;
  const request = client.api(link);
  if (options) request.header('Prefer', options.headers.Prefer);
  const first = (await request.get()) as PageCollection;
  const items: Array<Record<string, unknown>> = [];
  const iterator = new PageIterator(
    client,
    first,
    (item: Record<string, unknown>) => {
      items.push(item);
      return true;
    },
    options,
  );
  await iterator.iterate();
  const deltaLink = iterator.getDeltaLink();
  if (!deltaLink) throw new Error('no deltaLink at the end of the round');
  return { items, deltaLink };
}

describe('GET /applications/delta', () => {
  it('pages through every application, then tracks only what changed', async () => {
    const initial = await deltaRound('/applications/delta?$select=id,displayName,passwordCredentials', 2);
    expect(initial.items.map((a) => a['displayName']).sort()).toEqual([
      'Cerb Helpdesk',
      'Creatio CRM',
      'UiPath Robot',
      'Vigil',
      'Vigil reader',
    ]);
    expect(initial.deltaLink).toMatch(new RegExp(`^${t.cloud.endpoints.clouds.global!.graph}/v1\\.0/applications/delta\\?\\$deltatoken=`));
    expect(Object.keys(initial.items[0]!).sort()).toEqual(['displayName', 'id', 'passwordCredentials']);

    const nothing = await deltaRound(initial.deltaLink);
    expect(nothing.items).toEqual([]);

    const cerb = applicationOf(t, 'Cerb Helpdesk');
    await t
      .graphClient()
      .api(`/applications/${cerb.id}/addPassword`)
      .post({ passwordCredential: { displayName: 'rotated' } });
    const changes = await deltaRound(nothing.deltaLink);
    expect(changes.items).toHaveLength(1);
    expect(changes.items[0]).toMatchObject({ id: cerb.id, displayName: 'Cerb Helpdesk' });
    expect((changes.items[0]!['passwordCredentials'] as unknown[]).length).toBe(2);

    const store = t.cloud.context.store;
    const robot = applicationOf(t, 'UiPath Robot');
    store.directory.deleteApplication(store.directory.tenant(TENANT)!, robot);
    const removal = await deltaRound(changes.deltaLink);
    expect(removal.items).toEqual([{ id: robot.id, '@removed': { reason: 'changed' } }]);
  });

  it('scopes a round with $filter=id eq, and refuses other options on the first call', async () => {
    const vigil = applicationOf(t, 'Vigil');
    const scoped = await deltaRound(`/applications/delta?$filter=id eq '${vigil.id}'`);
    expect(scoped.items.map((a) => a['id'])).toEqual([vigil.id]);
    const top = await graphFetch(t, '/v1.0/applications/delta?$top=5');
    expect(top.status).toBe(400);
    expect(errorOf(top).code).toBe('Request_UnsupportedQuery');
    const filter = await graphFetch(t, `/v1.0/applications/delta?$filter=${encodeURIComponent("displayName eq 'Vigil'")}`);
    expect(filter.status).toBe(400);
    expect(errorOf(filter).message).toBe(
      "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'Application'.",
    );
  });

  it('gives a deltaLink and no objects for $deltatoken=latest', async () => {
    const latest = await graphFetch(t, '/v1.0/applications/delta?$deltatoken=latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ value: [], '@odata.deltaLink': expect.stringContaining('$deltatoken=') });
  });

  it('also tracks service principals', async () => {
    const round = await deltaRound('/servicePrincipals/delta?$select=id,displayName,preferredSingleSignOnMode');
    expect(round.items.find((s) => s['displayName'] === 'Contoso SAML')).toMatchObject({ preferredSingleSignOnMode: 'saml' });
  });
});

describe('delta tokens Graph no longer accepts', () => {
  const path = (link: string) => new URL(link).pathname + new URL(link).search;

  it('answers a garbled token with 400 syncStateNotFound', async () => {
    const response = await graphFetch(t, '/v1.0/applications/delta?$deltatoken=not-a-token');
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({
      code: 'syncStateNotFound',
      message: 'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    });
  });

  it('answers tokens issued before invalidateDeltaTokens as expired, or as a 410 resync', async () => {
    const before = await deltaRound('/applications/delta?$select=id,displayName');
    invalidateDeltaTokens(t.cloud.context, TENANT);
    const expired = await graphFetch(t, path(before.deltaLink));
    expect(expired.status).toBe(400);
    expect(errorOf(expired).code).toBe('syncStateNotFound');

    const fresh = await deltaRound('/applications/delta?$select=id,displayName');
    expect((await graphFetch(t, path(fresh.deltaLink))).status).toBe(200);
    invalidateDeltaTokens(t.cloud.context, TENANT, 'resync');
    const gone = await graphFetch(t, path(fresh.deltaLink));
    expect(gone.status).toBe(410);
    expect(errorOf(gone).code).toBe('resyncRequired');
    const restart = gone.headers.get('location')!;
    expect(restart).toMatch(/\/v1\.0\/applications\/delta\?\$select=id,displayName&\$deltatoken=$/);
    const again = await deltaRound(restart);
    expect(again.items.length).toBeGreaterThan(0);
  });

  it('answers a token older than seven days with 400 syncStateNotFound', async () => {
    const round = await deltaRound('/applications/delta');
    await t.admin('/admin/clock', { advanceDays: 8 });
    try {
      const response = await graphFetch(t, path(round.deltaLink));
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe('syncStateNotFound');
    } finally {
      await t.admin('/admin/clock', { reset: true });
    }
  });
});
