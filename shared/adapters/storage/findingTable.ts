import type { TableClient, TransactionAction } from '@azure/data-tables';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { findingKey, type Finding } from '../../scanner/Finding.js';
import type { FindingLister, FindingQuery, FindingStore, FindingWriter } from '../../scanner/ScanPorts.js';
import { findingSchema } from '../../scanner/credentialFactsSchema.js';
import { KeptFindings } from '../../scanner/KeptFindings.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { submitActions } from './actionTransactions.js';
import { ensureTable, odataString, transactionsOf } from './ensureTable.js';
import { ignoreGone } from './readEntity.js';
import {
  BY_APP_PARTITIONS,
  byAppRange,
  byAppRowOf,
  indexRowOf,
  isAppClientSecret,
  legacyRowOf,
  sameAddress,
  tenantRowOf,
  type RowAddress,
} from './findingKeys.js';
import type { PagePosition } from '../../paging/pageToken.js';
import { findingFilters, fromFindingsPageToken, toFindingsPageToken } from './findingQuery.js';
import { parseStored } from './parseStored.js';

/** The store is the lister too: a tenant's list from its own rows, every tenant's from the index. */
export interface FindingTable extends FindingStore, FindingLister {
  /** The whole list, page by page, most urgent first (the local run's summary, tests). */
  all(query: FindingQuery, nowMs: number): AsyncIterable<Finding>;
  /** Every tenant's findings. */
  listAll(): Promise<Finding[]>;
  /**
   * The findings on an app registration's client secrets, by its app id: one partition of the by-app
   * table, whatever the number of findings (a refresh failing on its client secret, the connections list).
   */
  ofApp(appId: string): Promise<Finding[]>;
}

/**
 * The layout of the rows: 2 is the urgency layout (stop 21) with the by-app table (stop 22). Rows of a
 * tenant whose scan state records an older layout, or none, may be in the partition of the layout before
 * (one per tenant) or lack their by-app rows; `list` with `upgrade` mends both, and the state records it.
 */
export const FINDINGS_LAYOUT = 2;

/** Writes of one scan in flight at once: each is one transaction of up to 100 rows (several, one after another, when its rows pass 4 MiB together). */
const PARALLEL_WRITES = 4;

/**
 * A first scan's writes in flight at once (openWriter), past its first SMALL_FIRST_SCAN findings: fewer than a
 * later scan's. What a transaction holds survives as long as Table Storage takes to answer; the more other work
 * runs meanwhile, the more of it V8 moves to the old generation, which it collects late: a messy 25,000-app
 * first scan promoted 343 MB at 2, 432 MB at 4 (medians of 5 runs; its wall may double before the first ÷
 * daily goal binds, and it was 1.06).
 */
const FIRST_SCAN_WRITES = 2;

/**
 * Findings in Table Storage, twice: the tenant's rows (`tables.tenants`: what the scanner compares the
 * next read with, and a tenant's list) and the index (`tables.index`: every tenant's findings in one
 * urgency order, for the lists and the status page). Keys: findingKeys.ts. Each row holds the whole
 * finding as JSON (ids, names and dates only). The index is written first and the tenant's rows last:
 * the tenant's rows are what the next scan compares with, so a write that fails half-way is written
 * again by the next scan, and a finding never stays in the index after it left the tenant's rows. (A first
 * scan's writer writes both at once: its retry is a first scan that writes everything again; see `open`.)
 */
export function createFindingTable(tables: { tenants: TableClient; index: TableClient; byApp: TableClient }): FindingTable {
  const ready = [ensureTable(tables.tenants), ensureTable(tables.index), ensureTable(tables.byApp)];
  const bothReady = () => Promise.all(ready.map((r) => r()));
  const put = async (findings: readonly Finding[]) => {
    await upsertRows(tables.index, findings, indexRowOf);
    await upsertRows(tables.byApp, findings.filter(isAppClientSecret), byAppRowOf);
    await upsertRows(tables.tenants, findings, tenantRowOf);
  };
  return {
    layout: FINDINGS_LAYOUT,
    async list(tenantId, { upgrade = false } = {}) {
      await bothReady();
      const t = tenantId.toLowerCase();
      const findings: Finding[] = [];
      const legacy: Finding[] = [];
      for await (const row of tenantRows(tables.tenants, t, upgrade)) {
        // A finding that does not parse is left out: the next scan judges its credential afresh and writes it again.
        const finding = parseStored(findingSchema, row.finding);
        if (finding) (row.partitionKey === t ? legacy : findings).push(finding);
      }
      if (!upgrade) return findings;
      if (legacy.length > 0) await moveLegacyRows(tables.tenants, legacy, put);
      // Findings stored before the by-app table get their by-app rows (the moved ones got theirs from `put`).
      await upsertRows(tables.byApp, findings.filter(isAppClientSecret), byAppRowOf);
      return [...findings, ...legacy];
    },
    async kept(tenantId, { upgrade = false } = {}) {
      const rows = new Map<string, string>();
      const watched = new Set<string>();
      const keep = (finding: Finding, row: string) => {
        rows.set(findingKey(finding), row);
        if (finding.subjectKind !== 'vaultSecret') watched.add(finding.objectId);
      };
      if (upgrade) {
        // An upgrade (once per tenant) moves and completes the rows first; what it read is what is stored now
        // (a row holds its finding's JSON), so the partition is not read a second time.
        for (const finding of await this.list(tenantId, { upgrade })) keep(finding, JSON.stringify(finding));
      } else {
        await bothReady();
        for await (const row of tenantRows(tables.tenants, tenantId.toLowerCase(), false)) {
          const finding = parseStored(findingSchema, row.finding);
          if (finding) keep(finding, row.finding);
        }
      }
      const read = (row: string) => {
        const finding = parseStored(findingSchema, row);
        // Only rows that parsed are kept: a row that no longer does is a defect, not bad input.
        if (!finding) throw new Error('a kept finding row no longer parses');
        return finding;
      };
      return new KeptFindings(rows, read, watched);
    },
    async apply(tenantId, change) {
      await bothReady();
      const moved = movedFrom(change.upserts, change.before);
      const text = rowTexts();
      // The index and by-app rows together (no row is both upserted and deleted: a removal is closed, an
      // upsert current, a moved row at its old address), and the tenant's rows only once they all landed;
      // each step within one scan's PARALLEL_WRITES, as each write was alone.
      const first = createConcurrencyLimit(PARALLEL_WRITES);
      await Promise.all([
        upsertRows(tables.index, change.upserts, indexRowOf, first, text),
        deleteRows(tables.index, [...change.removals, ...moved].map(indexRowOf), first),
        // A by-app row's address does not move with severity or end: only closed findings lose theirs.
        upsertRows(tables.byApp, change.upserts.filter(isAppClientSecret), byAppRowOf, first, text),
        deleteRows(tables.byApp, change.removals.filter(isAppClientSecret).map(byAppRowOf), first),
      ]);
      const last = createConcurrencyLimit(PARALLEL_WRITES);
      await Promise.all([
        upsertRows(tables.tenants, change.upserts, tenantRowOf, last, text),
        deleteRows(tables.tenants, [...change.removals, ...moved].map(tenantRowOf), last),
      ]);
    },
    open: (before) => {
      // One text a finding for its three rows, made as the first of them is written (rowTexts).
      const text = rowTexts();
      return openWriter(bothReady, [
        {
          partitionOf: (f) => tenantRowOf(f).partitionKey,
          // A first scan's index and tenant rows go at once, unlike `apply`'s: a first scan that fails stores
          // no state, so the next run is a first scan again that writes every finding still there, and lists
          // a tenant row whose finding is gone by then as one to remove, from the index too. Old addresses of
          // moved findings go after, index first, as in `apply`.
          // A small first scan's go as they are put too, beside the read (SMALL_FIRST_SCAN): after Graph's last
          // answer only its last page's are left to write (at 10,000 apps, 15 findings instead of 100 in the close).
          write: async (findings, limit) => {
            const moved = movedFrom(findings, before);
            await Promise.all([
              upsertRows(tables.index, findings, indexRowOf, limit, text),
              upsertRows(tables.tenants, findings, tenantRowOf, limit, text),
            ]);
            await deleteRows(tables.index, moved.map(indexRowOf), limit);
            await deleteRows(tables.tenants, moved.map(tenantRowOf), limit);
          },
        },
        // A tenant partition's findings belong to apps all over the by-app table's 256 partitions: written
        // with them, nearly every by-app row was a request of its own.
        {
          partitionOf: (f) => (isAppClientSecret(f) ? byAppRowOf(f).partitionKey : undefined),
          write: (findings, limit) => upsertRows(tables.byApp, findings, byAppRowOf, limit, text),
        },
      ]);
    },
    async page(query, { size, after, nowMs }) {
      await bothReady();
      const filters = findingFilters(query, nowMs);
      const start: PagePosition = after ? fromFindingsPageToken(query, after) : { filter: 0 };
      const { findings, next } = await readPage(query.tenantId ? tables.tenants : tables.index, filters, size, start);
      return { findings, ...(next ? { next: toFindingsPageToken(query, next) } : {}) };
    },
    async ofApp(appId) {
      await bothReady();
      const range = byAppRange(appId);
      const filter = `PartitionKey eq ${odataString(range.partitionKey)} and RowKey gt ${odataString(range.from)} and RowKey lt ${odataString(range.to)}`;
      const findings: Finding[] = [];
      for await (const row of tables.byApp.listEntities<{ finding: string }>({ queryOptions: { filter, select: ['finding'] } })) {
        const finding = parseStored(findingSchema, row.finding);
        if (finding) findings.push(finding);
      }
      return findings;
    },
    async listAll() {
      const findings: Finding[] = [];
      for await (const f of this.all({}, Date.now())) findings.push(f);
      return findings;
    },
    async *all(query, nowMs) {
      let after: string | undefined;
      do {
        const page = await this.page(query, { size: 1000, after, nowMs });
        yield* page.findings;
        after = page.next;
      } while (after);
    },
  };
}

/** A tenant's finding rows (the layout before the urgency one's too, with `upgrade`), as stored. */
function tenantRows(tenants: TableClient, t: string, upgrade: boolean): AsyncIterable<{ partitionKey?: string; finding: string }> {
  const current = `PartitionKey gt ${odataString(`${t}~`)} and PartitionKey lt ${odataString(`${t}~~`)}`;
  // Only an upgrade looks for rows stored before the urgency layout: one partition named by the tenant alone.
  const filter = upgrade ? `(${current}) or PartitionKey eq ${odataString(t)}` : current;
  return tenants.listEntities<{ finding: string }>({ queryOptions: { filter, select: ['PartitionKey', 'finding'] } });
}

/** Stored findings whose rows are elsewhere than the new ones' (severity or end moved): their old rows go. */
function movedFrom(findings: readonly Finding[], before: ReadonlyMap<string, Finding>): Finding[] {
  return findings.flatMap((f) => {
    const stored = before.get(findingKey(f));
    return stored && !sameAddress(tenantRowOf(stored), tenantRowOf(f)) ? [stored] : [];
  });
}

/**
 * Reads up to `size` findings from `start` on, filter after filter: Table Storage may answer a page with
 * fewer rows than asked (even none) and a continuation, so it asks again until the page is full or
 * the list ends.
 */
async function readPage(
  table: TableClient,
  filters: string[],
  size: number,
  start: PagePosition,
): Promise<{ findings: Finding[]; next?: PagePosition }> {
  const findings: Finding[] = [];
  let { filter, continuation } = start;
  while (filter < filters.length && findings.length < size) {
    const pages = table
      .listEntities<{ finding: string }>({ queryOptions: { filter: filters[filter]!, select: ['finding'] } })
      .byPage({ maxPageSize: size - findings.length, ...(continuation ? { continuationToken: continuation } : {}) });
    const page = (await pages.next()).value as (Array<{ finding: string }> & { continuationToken?: string }) | undefined;
    for (const row of page ?? []) {
      const finding = parseStored(findingSchema, row.finding);
      if (finding) findings.push(finding);
    }
    continuation = page?.continuationToken;
    if (!continuation) filter += 1;
  }
  return { findings, ...(filter < filters.length ? { next: { filter, continuation } } : {}) };
}

/** One kind of row a first scan writes: each finding's partition (undefined: no such row), and how a partition's findings are written. */
interface WriterLane {
  partitionOf(f: Finding): string | undefined;
  /** Writes within `limit`: the transactions the whole writer may have in flight. */
  write(findings: readonly Finding[], limit: Limit): Promise<void>;
}

/**
 * A small first scan's findings are written as they are put, not held for the close: where they scatter over the
 * by-app table's 256 partitions, while fewer than half that were put nearly each is alone in its partition and
 * holding them saves about a fifth of their requests; and whatever is held waits until after Graph's last answer
 * (100 findings: 100 by-app rows, 25 round trips at PARALLEL_WRITES at once, then the tenant and index rows). Past that, a lane
 * holds its findings for fuller transactions.
 */
const SMALL_FIRST_SCAN = BY_APP_PARTITIONS / 2;

/**
 * Findings a lane holds before it writes every partition it holds, full or not: where a scan's findings
 * scatter over many partitions (the by-app table's 256), few would ever fill a transaction, and holding
 * them all would hold the whole scan in memory.
 */
const HELD_PER_LANE = 2_000;

/**
 * A first scan's findings as they are judged, page by page: buffered per partition of each lane and
 * written in full transactions, a few at once, so thousands of findings neither wait for the end of the
 * read nor all sit in memory. `put` waits while too many writes are in flight. Past a lane's first
 * SMALL_FIRST_SCAN findings, every lane's transactions share one limit of FIRST_SCAN_WRITES: a transaction of
 * 100 rows holds about half a megabyte of request (each row's sub-request made whole by the SDK) until Table
 * Storage answers, long enough for V8 to move it to the old generation, which it collects late. A limit per
 * lane write let 4 writes run 4 each, and a 25,000-app first scan held 16 at once. The early writes (a lane's
 * first SMALL_FIRST_SCAN findings, written as put) have their own limit of PARALLEL_WRITES, so a small first
 * scan is not slowed; while the last of them finish, up to PARALLEL_WRITES + FIRST_SCAN_WRITES (6) are in flight.
 */
function openWriter(ready: () => Promise<unknown>, lanes: readonly WriterLane[]): FindingWriter {
  const buffers = lanes.map(() => new Map<string, Finding[]>());
  const held = lanes.map(() => 0);
  const seen = lanes.map(() => 0);
  // Writes of what a lane writes as put: at most SMALL_FIRST_SCAN rows in all, so the read never waits for them (back-pressure),
  // PARALLEL_WRITES at once: a small first scan's few rows are to be written before Graph's last answer.
  const early = new Set<Promise<void>>();
  const earlyTransactions = createConcurrencyLimit(PARALLEL_WRITES);
  const transactions = createConcurrencyLimit(FIRST_SCAN_WRITES);
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const write = (lane: number, findings: Finding[], writes = inFlight) => {
    held[lane]! -= findings.length;
    const done = lanes[lane]!.write(findings, writes === early ? earlyTransactions : transactions).catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
    });
    writes.add(done);
    void done.finally(() => writes.delete(done));
  };
  const writeAll = (lane: number, writes = inFlight) => {
    for (const buffer of buffers[lane]!.values()) write(lane, buffer, writes);
    buffers[lane]!.clear();
  };
  const settle = async () => {
    if (failure !== undefined) throw failure;
  };
  return {
    async put(findings) {
      await ready();
      lanes.forEach((lane, l) => {
        const partitions = buffers[l]!;
        for (const f of findings) {
          const partition = lane.partitionOf(f);
          if (partition === undefined) continue;
          const buffer = partitions.get(partition) ?? [];
          buffer.push(f);
          partitions.set(partition, buffer);
          held[l]! += 1;
          seen[l]! += 1;
          if (buffer.length < 100) continue;
          partitions.delete(partition);
          write(l, buffer);
        }
        if (seen[l]! <= SMALL_FIRST_SCAN) writeAll(l, early);
        else if (held[l]! >= HELD_PER_LANE) writeAll(l);
      });
      // Back-pressure: let the writes catch up before the scanner judges another page.
      while (inFlight.size >= FIRST_SCAN_WRITES * 2) await Promise.race(inFlight);
      await settle();
    },
    async close() {
      lanes.forEach((_, l) => writeAll(l));
      await Promise.all([...inFlight, ...early]);
      await settle();
    },
  };
}

/**
 * A finding's row: its address, the columns the lists filter on, and the finding as JSON. One literal rather
 * than the address and the columns spread into one: 160 bytes a row instead of 450, each alive until its
 * transaction is answered (a first scan of 14,000 findings writes 42,000 rows).
 */
function rowOf(address: RowAddress, f: Finding, text: (f: Finding) => string) {
  return {
    partitionKey: address.partitionKey,
    rowKey: address.rowKey,
    tenantId: f.tenantId,
    severity: f.severity,
    status: f.status,
    endDateTime: f.endDateTime,
    finding: text(f),
  };
}

/**
 * A finding's stored text, made once for all its rows (index, tenant, by-app) by whoever writes it first, and
 * kept only while the finding is: a first scan of 14,000 findings made 42,000 texts of about 2 kB, each
 * alive while its transaction was in flight, where 14,000 serve.
 */
function rowTexts(): (f: Finding) => string {
  const texts = new WeakMap<Finding, string>();
  return (f) => {
    let text = texts.get(f);
    if (text === undefined) texts.set(f, (text = JSON.stringify(f)));
    return text;
  };
}

/**
 * Runs a write within a number of transactions in flight: one step of a later scan's PARALLEL_WRITES, or a first
 * scan's writer's own (openWriter: its early writes' and the rest's).
 */
type Limit = ReturnType<typeof createConcurrencyLimit>;

/**
 * Upserts rows by partition, one transaction per 100 (a transaction holds one partition). A row's JSON is
 * made as its transaction starts: made all at once, thousands of findings' rows waited in memory beside
 * the findings themselves while a few transactions went at a time.
 */
async function upsertRows(
  table: TableClient,
  findings: readonly Finding[],
  addressOf: (f: Finding) => RowAddress,
  limit: Limit = createConcurrencyLimit(PARALLEL_WRITES),
  /** Each finding's stored text, where the caller writes other rows of the same findings (rowTexts). */
  text: (f: Finding) => string = (f) => JSON.stringify(f),
): Promise<void> {
  const upsert = (f: Finding): TransactionAction => ['upsert', rowOf(addressOf(f), f, text), 'Replace'];
  await Promise.all(
    transactionsOf(findings, (f) => addressOf(f).partitionKey).map((chunk) => limit(() => submitActions(table, chunk.map(upsert)))),
  );
}

/** Deletes rows by partition; a row already gone (a write that failed half-way and is being repeated) is fine. */
async function deleteRows(
  table: TableClient,
  addresses: readonly RowAddress[],
  limit: Limit = createConcurrencyLimit(PARALLEL_WRITES),
): Promise<void> {
  await Promise.all(
    transactionsOf(addresses, (a) => a.partitionKey).map((chunk) =>
      limit(async () => {
        try {
          await submitActions(
            table,
            chunk.map((a): TransactionAction => ['delete', { partitionKey: a.partitionKey, rowKey: a.rowKey }]),
          );
        } catch (error) {
          // One missing row fails the whole transaction: delete one by one, ignoring those already gone.
          if (statusOf(error) !== 404) throw error;
          for (const a of chunk) await table.deleteEntity(a.partitionKey, a.rowKey).catch(ignoreGone);
        }
      }),
    ),
  );
}

/** Findings stored before the urgency layout are written in it, then their old rows removed. */
async function moveLegacyRows(
  tenants: TableClient,
  legacy: readonly Finding[],
  put: (findings: readonly Finding[]) => Promise<void>,
): Promise<void> {
  await put(legacy);
  await deleteRows(tenants, legacy.map(legacyRowOf));
}
