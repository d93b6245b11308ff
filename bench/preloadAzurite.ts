import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';

/**
 * Large tables for a benchmark, written into Azurite's own database file before it starts, instead of
 * through its HTTP API. Azurite (LokiJS) finds the row an insert replaces by scanning the row's whole
 * partition, so each insert costs the partition's size: 100,000 findings, whose urgency index holds about
 * 6,000 rows per partition, took over an hour to write through HTTP on a loaded 2-core machine, and the
 * same rows load from the file in seconds. The rows themselves are Vigil's: a store writes them into a
 * `recordingTable` exactly as it would into Table Storage, and only where they land differs.
 */

/** Azurite's well-known development account. */
const ACCOUNT = 'devstoreaccount1';
/** The file Azurite's table service keeps in `--location` (Azurite 3.x, LokiJS). */
const TABLE_DB = '__azurite_db_table__.json';

type Row = TableEntity<Record<string, unknown>>;

/** A table that only records what a store writes (creates, upserts, transactions of upserts), for `preloadAzurite`. */
export interface RecordingTable {
  readonly client: TableClient;
  readonly rows: Map<string, Row>;
}

export function recordingTable(): RecordingTable {
  const rows = new Map<string, Row>();
  const put = (entity: Row) => void rows.set(`${entity.partitionKey}\u0000${entity.rowKey}`, entity);
  const client = {
    createTable: async () => undefined,
    upsertEntity: async (entity: Row) => put(entity),
    submitTransaction: async (actions: TransactionAction[]) => {
      for (const [kind, entity] of actions) {
        if (kind !== 'upsert') throw new Error(`recordingTable records upserts only, not ${kind}`);
        put(entity);
      }
    },
  };
  // A stand-in at the store's boundary: the three calls a store makes to write rows, nothing else.
  return { client: client as unknown as TableClient, rows };
}

interface LokiCollection {
  insert(docs: object[]): void;
}
interface LokiDatabase {
  addCollection(name: string, options?: { indices?: string[]; unique?: string[] }): LokiCollection;
  saveDatabase(callback: (error?: Error | null) => void): void;
}
type LokiConstructor = new (file: string, options: { persistenceMethod: 'fs' }) => LokiDatabase;

/**
 * Writes `tables` (table name → its rows) as Azurite's table database in `location`; start Azurite with
 * `{ location }` afterwards. Collections and rows are shaped as Azurite 3.x keeps them
 * (`LokiTableMetadataStore`): a table list, and per table its entities indexed by PartitionKey and RowKey.
 * Only text columns, which is all a finding row holds (typed columns would need Azurite's annotations).
 */
export async function preloadAzurite(location: string, tables: Record<string, Iterable<Row>>): Promise<void> {
  const azurite = createRequire(import.meta.url).resolve('azurite/package.json');
  const Loki = createRequire(azurite)('lokijs') as LokiConstructor;
  const db = new Loki(path.join(location, TABLE_DB), { persistenceMethod: 'fs' });
  const names = db.addCollection('$TABLES_COLLECTION$', { indices: ['account', 'table'] });
  db.addCollection('$SERVICES_COLLECTION$', { unique: ['accountName'] });
  const now = new Date().toISOString().replace('Z', '0000Z');
  const eTag = `W/"datetime'${encodeURIComponent(now)}'"`;
  for (const [table, rows] of Object.entries(tables)) {
    names.insert([{ account: ACCOUNT, table }]);
    const entities = db.addCollection(`${ACCOUNT}$${table}`, { indices: ['PartitionKey', 'RowKey'] });
    const docs = [...rows].map(({ partitionKey, rowKey, ...columns }) => {
      for (const [name, value] of Object.entries(columns))
        if (typeof value !== 'string') throw new Error(`${table}: column ${name} is not text`);
      return {
        PartitionKey: partitionKey,
        RowKey: rowKey,
        properties: { PartitionKey: partitionKey, RowKey: rowKey, ...columns, Timestamp: now, 'Timestamp@odata.type': 'Edm.DateTime' },
        lastModifiedTime: now,
        eTag,
      };
    });
    entities.insert(docs);
  }
  await new Promise<void>((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())));
}

/**
 * Waits until Azurite (started on `location`) has saved its table database after `since`, and then saved
 * nothing for `quietMs`. On disk, Azurite saves the whole database 5 s after a write, and saving 300,000
 * rows stalls it for many seconds: that must happen before a measurement, not during one.
 */
export async function afterAzuriteSaved(location: string, since: number, quietMs = 20_000): Promise<void> {
  const file = path.join(location, TABLE_DB);
  const savedAt = async () => (await stat(file)).mtimeMs;
  const deadline = Date.now() + 15 * 60_000;
  let last = await savedAt();
  while (last <= since) {
    if (Date.now() > deadline) throw new Error(`Azurite did not save ${file} within 15 minutes`);
    await sleep(1_000);
    last = await savedAt();
  }
  for (let quietSince = Date.now(); Date.now() - quietSince < quietMs;) {
    await sleep(1_000);
    const now = await savedAt();
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
}
