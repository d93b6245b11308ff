import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createFindingTable, type FindingTable } from '../../../../shared/adapters/storage/findingTable.js';
import { evaluateCredential } from '../../../../shared/scanner/evaluateCredential.js';
import { findingKey, type Finding } from '../../../../shared/scanner/Finding.js';
import { InvalidPageToken } from '../../../../shared/core/pageToken.js';
import { NOW, facts, inDays, policy } from '../../scanner/scannerFixtures.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const tableOf = (name: string): TableClient =>
  createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
const storeIn = (name: string): FindingTable & { tenants: TableClient; index: TableClient } => {
  const tables = { tenants: tableOf(`${name}Tenants`), index: tableOf(`${name}Index`) };
  return Object.assign(createFindingTable(tables), tables);
};

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

  it('stores a first scan page by page in full transactions, and nothing is lost at the end', async () => {
    const store = storeIn('Writer');
    const writer = store.open(new Map());
    const findings = Array.from({ length: 430 }, (_, i) => finding('t1', i, (i % 60) - 20));
    for (let i = 0; i < findings.length; i += 37) await writer.put(findings.slice(i, i + 37));
    await writer.close();
    expect((await store.list('t1')).map(findingKey).sort()).toEqual(findings.map(findingKey).sort());
    expect(await rowCount(store.index)).toBe(430);
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

  it('moves findings stored before the urgency layout into it when the scanner reads them', async () => {
    const store = storeIn('Legacy');
    const old = finding('t1', 1, 5);
    await store.tenants.createTable();
    await store.tenants.createEntity({
      partitionKey: 't1',
      rowKey: Buffer.from(findingKey(old)).toString('base64url'),
      finding: JSON.stringify(old),
    });
    expect(await store.list('t1')).toEqual([old]);
    expect(await all(store)).toEqual([old]);
    expect(await store.list('t1')).toEqual([old]);
    expect(await rowCount(store.tenants)).toBe(1);
  });
});
