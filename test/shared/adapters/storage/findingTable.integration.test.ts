import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createFindingTable, type FindingTable } from '../../../../shared/adapters/storage/findingTable.js';
import { evaluateCredential } from '../../../../shared/scanner/evaluateCredential.js';
import { findingKey, type Finding } from '../../../../shared/scanner/Finding.js';
import { InvalidPageToken } from '../../../../shared/paging/pageToken.js';
import { NOW, facts, inDays, policy } from '../../scanner/scannerFixtures.js';
import { startStorageFaultProxy, type StorageFaultProxy } from '../../../support/storageFaultProxy.js';
import { trackRequestsInFlight } from '../../../support/requestsInFlight.js';

let azurite: Azurite;
let faults: StorageFaultProxy;
beforeAll(async () => {
  azurite = await startAzurite();
  faults = await startStorageFaultProxy(azurite);
});
afterAll(async () => {
  await faults.stop();
  await azurite.stop();
});

const tableOf = (name: string, through: Azurite = azurite): TableClient =>
  createTableClient({ kind: 'connectionString', connectionString: through.connectionString }, name);
/** `through`: Azurite itself, or the storage fault proxy in front of it. */
const storeIn = (name: string, through?: Azurite): FindingTable & { tenants: TableClient; index: TableClient; byApp: TableClient } => {
  const tables = {
    tenants: tableOf(`${name}Tenants`, through),
    index: tableOf(`${name}Index`, through),
    byApp: tableOf(`${name}ByApp`, through),
  };
  return Object.assign(createFindingTable(tables), tables);
};
/** Every write to a table refused with a 503 (the storage fault proxy), until `remove`d. */
const refuseWrites = (table: string) =>
  faults.inject({ service: 'table', table, when: (r) => r.method !== 'GET' }, { kind: 'refuse', status: 503 }, { times: Infinity });

/** A finding of tenant `t` ending `days` from NOW (seconds apart by `i`, so the order is exact). */
const finding = (t: string, i: number, days: number, over: Partial<Finding> = {}): Finding => ({
  ...evaluateCredential(
    facts({ tenantId: t, objectId: `o${i}`, keyId: `k${i}`, subjectName: `App ${i}`, endDateTime: inDays(days) }),
    policy,
    NOW,
  )!,
  ...over,
});
const ids = (findings: readonly Finding[]) => findings.map((f) => f.objectId);
const all = async (store: FindingTable, query: Parameters<FindingTable['page']>[0] = {}) => {
  const found: Finding[] = [];
  for await (const f of store.all(query, NOW.toMillis())) found.push(f);
  return found;
};
const rowCount = async (table: TableClient) => {
  let n = 0;
  for await (const _ of table.listEntities()) n += 1;
  return n;
};

describe('findings in Table Storage, in urgency order', () => {
  const spread = [
    finding('t1', 1, 45), // low
    finding('t1', 2, -3), // critical: expired
    finding('t2', 3, 10), // high
    finding('t1', 4, 2), // critical
    finding('t2', 5, 20), // medium
    finding('t1', 6, 12), // high
  ];

  it('lists every tenant most severe first, then soonest, and each tenant alone from its own rows', async () => {
    const store = storeIn('Order');
    await store.apply('t1', { upserts: spread.filter((f) => f.tenantId === 't1'), removals: [], before: new Map() });
    await store.apply('t2', { upserts: spread.filter((f) => f.tenantId === 't2'), removals: [], before: new Map() });
    expect(ids(await all(store))).toEqual(['o2', 'o4', 'o3', 'o6', 'o5', 'o1']);
    expect(ids(await all(store, { tenantId: 'T1' }))).toEqual(['o2', 'o4', 'o6', 'o1']);
    expect(ids(await store.list('t2'))).toEqual(['o3', 'o5']);
  });

  it('filters by severities and days left on the server, one key range each', async () => {
    const store = storeIn('Filter');
    await store.apply('t1', { upserts: spread.filter((f) => f.tenantId === 't1'), removals: [], before: new Map() });
    await store.apply('t2', { upserts: spread.filter((f) => f.tenantId === 't2'), removals: [], before: new Map() });
    expect(ids(await all(store, { severities: ['critical', 'low'] }))).toEqual(['o2', 'o4', 'o1']);
    expect(ids(await all(store, { maxDaysLeft: 10 }))).toEqual(['o2', 'o4', 'o3']);
    expect(ids(await all(store, { maxDaysLeft: 0 }))).toEqual(['o2']);
    expect(ids(await all(store, { tenantId: 't2', severities: ['medium', 'high'], maxDaysLeft: 30 }))).toEqual(['o3', 'o5']);
  });

  it('pages without a gap or a repeat, and refuses a token from another query', async () => {
    const store = storeIn('Pages');
    const many = Array.from({ length: 250 }, (_, i) => finding(i % 2 ? 't1' : 't2', i, (i % 90) - 30 + i / 1000));
    await store.apply('t1', { upserts: many, removals: [], before: new Map() });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await store.page({}, { size: 40, after, nowMs: NOW.toMillis() });
      expect(page.findings.length).toBeLessThanOrEqual(40);
      seen.push(...page.findings.map(findingKey));
      after = page.next;
    } while (after);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    const first = await store.page({}, { size: 40, nowMs: NOW.toMillis() });
    await expect(store.page({ severities: ['high'] }, { size: 40, after: first.next, nowMs: NOW.toMillis() })).rejects.toThrow(
      InvalidPageToken,
    );
    await expect(store.page({}, { size: 40, after: 'not-a-token', nowMs: NOW.toMillis() })).rejects.toThrow(InvalidPageToken);
  });

  it('moves a finding whose severity changed, and removes a closed one from both tables', async () => {
    const store = storeIn('Move');
    const before = finding('t1', 1, 20); // medium
    await store.apply('t1', { upserts: [before, finding('t1', 2, 40)], removals: [], before: new Map() });
    const escalated = { ...before, severity: 'high' as const, threshold: 14 };
    const stored = new Map((await store.list('t1')).map((f) => [findingKey(f), f]));
    await store.apply('t1', { upserts: [escalated], removals: [finding('t1', 2, 40)], before: stored });
    expect(await store.list('t1')).toEqual([escalated]);
    expect(await all(store)).toEqual([escalated]);
    expect([await rowCount(store.tenants), await rowCount(store.index)]).toEqual([1, 1]);
    // Repeating a change that half-landed (a retried scan) is harmless: rows already gone are fine.
    await store.apply('t1', { upserts: [escalated], removals: [finding('t1', 2, 40)], before: stored });
    expect([await rowCount(store.tenants), await rowCount(store.index)]).toEqual([1, 1]);
  });

  it("writes a lone finding's row in each table as one plain PUT, replacing what was stored", async () => {
    const store = storeIn('Lone');
    await store.apply('t1', { upserts: [finding('t1', 1, 20)], removals: [], before: new Map() }); // creates the tables
    const sent: string[] = [];
    for (const table of [store.tenants, store.index, store.byApp])
      table.pipeline.addPolicy({
        name: 'methods',
        sendRequest: (request, next) => (sent.push(`${request.method} ${new URL(request.url).pathname.split('(')[0]!}`), next(request)),
      });
    const later = finding('t1', 2, 30);

    await store.apply('t1', { upserts: [later], removals: [], before: new Map() });

    // PUT is Replace (Merge would be PATCH, a transaction POST $batch): nothing of an older row's shape stays.
    expect(sent.sort()).toEqual([
      'PUT /devstoreaccount1/LoneByApp',
      'PUT /devstoreaccount1/LoneIndex',
      'PUT /devstoreaccount1/LoneTenants',
    ]);
  });

  it('stores a first scan page by page in full transactions, and nothing is lost at the end', async () => {
    const store = storeIn('Writer');
    const writer = store.open(new Map());
    const findings = Array.from({ length: 430 }, (_, i) => finding('t1', i, (i % 60) - 20));
    for (let i = 0; i < findings.length; i += 37) await writer.put(findings.slice(i, i + 37));
    await writer.close();
    expect((await store.list('t1')).map(findingKey).sort()).toEqual(findings.map(findingKey).sort());
    expect(await rowCount(store.index)).toBe(430);
  });

  it("writes a first scan's by-app rows in transactions per by-app partition, not one request per row", async () => {
    const store = storeIn('WriterByApp');
    let byAppRequests = 0;
    store.byApp.pipeline.addPolicy({ name: 'count', sendRequest: (request, next) => ((byAppRequests += 1), next(request)) });
    const writer = store.open(new Map());
    // App ids are GUIDs: 600 client secrets over the by-app table's 256 partitions, all expired in one month.
    const findings = Array.from({ length: 600 }, (_, i) =>
      finding('t1', i, -3 - (i % 20) / 10, {
        appId: `${(i * 2_654_435_761).toString(16).slice(-8).padStart(8, '0')}-0000-4000-8000-000000000000`,
      }),
    );
    for (let i = 0; i < findings.length; i += 100) await writer.put(findings.slice(i, i + 100));
    await writer.close();

    // Written with the tenant's partitions, a transaction of 100 held about 80 by-app partitions: about 500 requests.
    // The first put's 100 are written as put (a small tenant's scan waits for none at its end): about 84; then at most one a partition.
    expect(byAppRequests).toBeLessThanOrEqual(100 + 257);
    expect(await rowCount(store.byApp)).toBe(600);
    expect(await store.ofApp(findings[377]!.appId!)).toContainEqual(findings[377]);
  });

  it("has at most 2 of a first scan's writes in flight, over all its tables: each holds its rows' whole request until answered", async () => {
    const store = storeIn('WriterBound');
    const inFlight = trackRequestsInFlight(store.tenants, store.index, store.byApp);
    const writer = store.open(new Map());
    // Its tables made first (three requests at once, before any write).
    await writer.put([]);
    inFlight.reset();
    // 1,000 client secrets over the urgency partitions and the by-app table's 256: many transactions at once.
    const findings = Array.from({ length: 1_000 }, (_, i) =>
      finding('t1', i, (i % 90) - 30, {
        appId: `${(i * 2_654_435_761).toString(16).slice(-8).padStart(8, '0')}-0000-4000-8000-000000000000`,
      }),
    );
    for (let i = 0; i < findings.length; i += 250) await writer.put(findings.slice(i, i + 250));
    await writer.close();
    expect(inFlight.most).toBeLessThanOrEqual(2);
    expect([await rowCount(store.tenants), await rowCount(store.index), await rowCount(store.byApp)]).toEqual([1_000, 1_000, 1_000]);
  });

  it("makes each finding's stored text once for its index, tenant and by-app rows, in a first scan and in a later one", async () => {
    const store = storeIn('OneText');
    let made = 0;
    /** Client secrets whose stored text is counted as it is made. */
    const counted = (from: number, days: number) =>
      Array.from({ length: 60 }, (_, i) => {
        const f = finding('t1', from + i, days, { appId: `${(i * 2_654_435_761).toString(16).slice(-8)}-0000-4000-8000-000000000000` });
        const { ...plain } = f;
        return Object.defineProperty(f, 'toJSON', { value: () => ((made += 1), plain), enumerable: false });
      });
    const writer = store.open(new Map());
    await writer.put(counted(0, -3));
    await writer.close();
    expect(made).toBe(60);
    made = 0;
    await store.apply('t1', { upserts: counted(100, 10), removals: [], before: new Map() });
    expect(made).toBe(60);
    expect([await rowCount(store.tenants), await rowCount(store.index), await rowCount(store.byApp)]).toEqual([120, 120, 120]);
  });

  it("writes a small first scan's rows (by-app, tenant and index) as they are put, so its end waits only for its last page's", async () => {
    const store = storeIn('WriterSmall');
    const inFlight = trackRequestsInFlight(store.tenants, store.index, store.byApp);
    const writer = store.open(new Map());
    // Its tables made first (three requests at once, before any write).
    await writer.put([]);
    inFlight.reset();
    const findings = Array.from({ length: 40 }, (_, i) =>
      finding('t1', i, -3, { appId: `${(i * 2_654_435_761).toString(16).slice(-8).padStart(8, '0')}-0000-4000-8000-000000000000` }),
    );
    await writer.put(findings.slice(0, 20));
    await writer.put(findings.slice(20));
    // Not closed yet: the directory is still being read. (Counted through other clients: these reads are not its writes.)
    const [byApp, tenants, index] = ['ByApp', 'Tenants', 'Index'].map((table) => tableOf(`WriterSmall${table}`));
    await vi.waitFor(async () => expect([await rowCount(byApp!), await rowCount(tenants!), await rowCount(index!)]).toEqual([40, 40, 40]), {
      timeout: 5_000,
      interval: 50,
    });
    await writer.close();
    // Not slowed to a larger first scan's 2 at once: its few transactions go as soon as they can.
    expect(inFlight.most).toBeGreaterThan(2);
    expect(await store.ofApp(findings[33]!.appId!)).toContainEqual(findings[33]);
  });

  it('leaves one row per finding when a first scan is retried after its severity moved', async () => {
    const store = storeIn('Retried');
    const first = store.open(new Map());
    await first.put([finding('t1', 1, 40)]);
    await first.close();
    // The attempt failed after storing; by the retry the credential is nearer its end (another address).
    const before = new Map((await store.list('t1')).map((f) => [findingKey(f), f]));
    const again = store.open(before);
    await again.put([finding('t1', 1, 5)]);
    await again.close();
    expect(await store.list('t1')).toEqual([finding('t1', 1, 5)]);
    expect([await rowCount(store.tenants), await rowCount(store.index)]).toEqual([1, 1]);
  });

  it('loses no finding and leaves no stray index row when a first scan fails writing the index and is retried', async () => {
    const store = storeIn('WriterFails', faults);
    await store.list('t1'); // the tables exist before writes to one of them are refused
    const refusing = refuseWrites('WriterFailsIndex');
    const [kept, goes] = [finding('t1', 1, 10), finding('t1', 2, 20)];
    const first = store.open(new Map());
    await first.put([kept, goes]);
    await expect(first.close()).rejects.toMatchObject({ statusCode: 503 });
    refusing.remove();
    // The failed first scan saved no state, so the retry is a first scan again; by then one secret is gone,
    // and what the earlier attempt stored of it is removed as recordBaseline removes it.
    const before = new Map((await store.list('t1')).map((f) => [findingKey(f), f]));
    const again = store.open(before);
    await again.put([kept]);
    await again.close();
    await store.apply('t1', { upserts: [], removals: [...before.values()].filter((f) => findingKey(f) !== findingKey(kept)), before });
    expect(await store.list('t1')).toEqual([kept]);
    expect(await all(store)).toEqual([kept]);
  });

  it("changes a tenant's rows only once its index rows are written: a change that fails there is found again by the next scan", async () => {
    const store = storeIn('ApplyFails', faults);
    const [stays, closes] = [finding('t1', 1, 10), finding('t1', 2, 20)];
    await store.apply('t1', { upserts: [stays, closes], removals: [], before: new Map() });
    const stored = new Map((await store.list('t1')).map((f) => [findingKey(f), f]));
    const refusing = refuseWrites('ApplyFailsIndex');
    const escalated = { ...stays, severity: 'critical' as const, threshold: 3 };
    await expect(store.apply('t1', { upserts: [escalated], removals: [closes], before: stored })).rejects.toMatchObject({
      statusCode: 503,
    });
    refusing.remove();
    // The next scan compares with the tenant's rows: still the old ones, so it makes the same change again.
    expect(new Map((await store.list('t1')).map((f) => [findingKey(f), f]))).toEqual(stored);
    await store.apply('t1', { upserts: [escalated], removals: [closes], before: stored });
    expect(await store.list('t1')).toEqual([escalated]);
    expect(await all(store)).toEqual([escalated]);
  });

  it('moves findings stored before the urgency layout into it when the scanner upgrades the tenant', async () => {
    const store = storeIn('Legacy');
    const old = finding('t1', 1, 5);
    await store.tenants.createTable();
    await store.tenants.createEntity({
      partitionKey: 't1',
      rowKey: Buffer.from(findingKey(old)).toString('base64url'),
      finding: JSON.stringify(old),
    });
    expect(await store.list('t1', { upgrade: true })).toEqual([old]);
    expect(await all(store)).toEqual([old]);
    // Once the scan state records the layout, the tenant's rows are read from its own key range alone.
    expect(await store.list('t1')).toEqual([old]);
    expect(await rowCount(store.tenants)).toBe(1);
  });

  it("keeps a tenant's findings for a scan as their rows, each the listed finding when read, and upgrades first", async () => {
    const store = storeIn('Kept');
    const mine = spread.filter((f) => f.tenantId === 't1');
    await store.apply('t1', { upserts: mine, removals: [], before: new Map() });
    await store.apply('t2', { upserts: spread.filter((f) => f.tenantId === 't2'), removals: [], before: new Map() });
    const old = finding('t1', 9, 5);
    const secret = finding('t1', 10, 5, { subjectKind: 'vaultSecret' });
    await store.apply('t1', { upserts: [secret], removals: [], before: new Map() });
    // A damaged row in the tenant's key range, and one of the layout before the urgency one.
    await store.tenants.createEntity({ partitionKey: 't1~z', rowKey: 'damaged', finding: '{"damaged"' });
    await store.tenants.createEntity({ partitionKey: 't1', rowKey: 'legacy', finding: JSON.stringify(old) });

    const reads = vi.spyOn(store.tenants, 'listEntities');
    const kept = await store.kept('t1', { upgrade: true });
    // The upgrade's own read of the tenant's rows is the only one: the rows are not read again after it.
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    // The objects a read remembers more of, known without reading the rows again: a vault secret's is no directory object.
    expect([...kept.watchedObjects].sort()).toEqual([...mine, old].map((f) => f.objectId).sort());

    const listed = await store.list('t1');
    expect(new Map(kept)).toEqual(new Map(listed.map((f) => [findingKey(f), f])));
    expect(kept.size).toBe(mine.length + 2);
    expect(kept.get(findingKey(old))).toEqual(old);
    expect(kept.get('o404|k404')).toBeUndefined();
    expect([...kept.seenAs((f) => ({ ...f, daysLeft: 0 })).values()].every((f) => f.daysLeft === 0)).toBe(true);
  });
});

describe('findings by app id', () => {
  /** Finding `i` of tenant `t` on app `app-{i % 50}`: 50 apps, several findings (tenants, secrets) each. */
  const ofApp = (t: string, i: number, over: Partial<Finding> = {}) => finding(t, i, (i % 40) - 5, { appId: `app-${i % 50}`, ...over });

  /** The filters each table was queried with while `run` ran. */
  async function queried<T>(store: ReturnType<typeof storeIn>, run: () => Promise<T>) {
    const filters: Record<'tenants' | 'index' | 'byApp', string[]> = { tenants: [], index: [], byApp: [] };
    const spies = (['tenants', 'index', 'byApp'] as const).map((name) => {
      const table = store[name];
      const original = table.listEntities.bind(table);
      return vi.spyOn(table, 'listEntities').mockImplementation((options) => {
        filters[name].push(options?.queryOptions?.filter ?? '(all)');
        return original(options);
      });
    });
    try {
      return { result: await run(), filters };
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  }

  it("reads one app's client-secret findings from its own partition, not every finding", async () => {
    const store = storeIn('ByApp');
    const t1 = Array.from({ length: 300 }, (_, i) => ofApp('t1', i));
    const certificate = ofApp('t1', 1000, { appId: 'app-7', credentialType: 'certificate' });
    const servicePrincipal = ofApp('t1', 1001, { appId: 'app-7', subjectKind: 'servicePrincipal' });
    await store.apply('t1', { upserts: [...t1, certificate, servicePrincipal], removals: [], before: new Map() });
    await store.apply('t2', { upserts: [ofApp('t2', 7)], removals: [], before: new Map() });
    const { result, filters } = await queried(store, () => store.ofApp('APP-7'));
    expect(result.map((f) => `${f.tenantId}/${f.objectId}`).sort()).toEqual(
      ['t1/o7', 't1/o57', 't1/o107', 't1/o157', 't1/o207', 't1/o257', 't2/o7'].sort(),
    );
    // One key range: app-7's rows in its partition, nothing from the tenants' rows or the index.
    expect(filters).toEqual({ tenants: [], index: [], byApp: ["PartitionKey eq 'ap' and RowKey gt 'app-7~' and RowKey lt 'app-7~~'"] });
    expect(await rowCount(store.byApp)).toBe(301); // app registrations' client secrets only
  });

  it('keeps one by-app row through a severity move, and drops it when the finding closes', async () => {
    const store = storeIn('ByAppMove');
    const before = ofApp('t1', 3);
    await store.apply('t1', { upserts: [before], removals: [], before: new Map() });
    const stored = new Map((await store.list('t1')).map((f) => [findingKey(f), f]));
    const escalated = { ...before, severity: 'critical' as const };
    await store.apply('t1', { upserts: [escalated], removals: [], before: stored });
    expect(await store.ofApp('app-3')).toEqual([escalated]);
    await store.apply('t1', { upserts: [], removals: [escalated], before: new Map([[findingKey(escalated), escalated]]) });
    expect(await store.ofApp('app-3')).toEqual([]);
  });

  it('gives findings stored before the by-app table their rows when the scanner upgrades the tenant', async () => {
    const earlier = storeIn('ByAppLater');
    const stored = [ofApp('t1', 1), ofApp('t1', 2)];
    await earlier.apply('t1', { upserts: stored, removals: [], before: new Map() });
    await earlier.byApp.deleteTable(); // as an earlier version left it: no by-app rows at all
    const upgraded = storeIn('ByAppLater');
    expect(await upgraded.ofApp('app-1')).toEqual([]);
    await upgraded.list('t1', { upgrade: true });
    expect(await upgraded.ofApp('app-1')).toEqual([stored[0]]);
    // Done once: the scan state records the layout, and later reads neither write nor look for older rows.
    const next = storeIn('ByAppLater');
    const writes = [vi.spyOn(next.byApp, 'submitTransaction'), vi.spyOn(next.byApp, 'upsertEntity'), vi.spyOn(next.byApp, 'getEntity')];
    const { result, filters } = await queried(next, () => next.list('t1'));
    expect(result).toHaveLength(2);
    expect(writes.map((w) => w.mock.calls.length)).toEqual([0, 0, 0]);
    expect(filters).toEqual({ tenants: ["PartitionKey gt 't1~' and PartitionKey lt 't1~~'"], index: [], byApp: [] });
  });
});
