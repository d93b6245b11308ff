import { createHash } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { z } from 'zod';
import type { ConnectionRef } from '../../tokens/Connection.js';
import type { ConnectionState } from '../../tokens/ConnectionState.js';
import { connectionCredentialFactsSchema, connectionStateSchema, storedLinkedFindingSchema } from '../../tokens/PlannedRow.js';
import { parseStored } from './parseStored.js';
import { createRowValuePool, type RowValuePool } from './createRowValuePool.js';
import type { ConnectionStateStore, StoredConnectionRow, Lease, LeaseStore } from '../../tokens/TokenPorts.js';
import { ensureTable } from './ensureTable.js';
import { etagIfUnchanged, readEntity, writeIfUnchanged } from './readEntity.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';

type Row = Record<string, unknown> & { leaseHolder?: string; leaseExpiresAt?: string };

/**
 * Rows of one vault spread over 256 partitions (`{vault host}~{00-ff}`, by the name's hash): a partition
 * is Table Storage's unit of scale (about 2,000 entities/s each), and Azurite's lookups slow down
 * with the size of a partition. Every connection still has exactly one row.
 */
const keysOf = (ref: ConnectionRef) => ({
  partitionKey: `${new URL(ref.vaultUrl).host}~${createHash('sha256').update(ref.name.toLowerCase()).digest('hex').slice(0, 2)}`,
  rowKey: ref.name,
});

/**
 * A vault's 256 partitions as one key range: `~` sorts after every hex digit, and a host has none, so
 * the range holds this vault's partitions and no other's.
 */
const vaultPartitions = (vaultUrl: string) => {
  const host = new URL(vaultUrl).host;
  return odata`PartitionKey ge ${`${host}~`} and PartitionKey lt ${`${host}~~`}`;
};

/**
 * Rows asked for a page at a time when reading a vault's rows. Table Storage gives up to 1,000; a page is held
 * in up to three forms (the answer's text, its JSON, the SDK's entities) while it is read, beside the vault's
 * rows gathered so far. Measured on the planning run over 10 vaults: peak RSS growth about halved, for four
 * requests per 1,000 rows instead of one (docs/tokens.md).
 */
const ROWS_PAGE = 250;

/**
 * The planner's view of a row of the vault listed; a row only a lease wrote has no state. The planner holds
 * a whole vault's rows at once, so they share what they repeat (`pool`) and the ref holds the state's name.
 */
function toStoredRow(row: TableEntityResult<Row>, vaultUrl: string, pool: RowValuePool): StoredConnectionRow {
  const state = fromRow(row, pool);
  const name = row.rowKey ?? '';
  return {
    ref: { vaultUrl: state?.vaultUrl ?? pool.text(vaultUrl), name: state?.name === name ? state.name : name },
    row: { version: row.etag, ...(state ? { state } : {}), ...(state && holdsStrayColumns(row, state) ? { strayColumns: true } : {}) },
    // A released row keeps its lease columns empty (see release).
    leasedUntil: row.leaseExpiresAt || undefined,
  };
}

/** Columns every row has that are not the connection's state: keys, the service's own (and its `odata.` metadata), the lease's. */
const notStateColumns: ReadonlySet<string> = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'leaseHolder', 'leaseExpiresAt']);
const stateColumnsOf = (row: Record<string, unknown>): string[] =>
  Object.keys(row).filter((column) => !notStateColumns.has(column) && !column.startsWith('odata.'));
/**
 * The state columns toConnectionRow writes for a state, without building its row: the planner asks this of
 * every row it reads and a refresh of every planned row as it takes the lease, and a whole row costs a hash
 * of the name, a URL parse and the JSON of three fields, for names alone. The integration test holds it to
 * toConnectionRow: a column missed marks a planned row as holding stray columns, one too many replaces it on release.
 */
const columnsOfState = (state: ConnectionState): string[] => stateColumnsOf(Object.fromEntries(setFieldsOf(state)));
/** Whether a row holds a state column its parsed state would not write (parsing dropped it). */
const holdsStrayColumns = (row: Row, state: ConnectionState): boolean => {
  const written = new Set(columnsOfState(state));
  return stateColumnsOf(row).some((column) => !written.has(column));
};

/**
 * Connection state and leases in one Table Storage row per connection (row key: the secret name), so
 * taking the lease re-reads the state in the same step. Every write is conditional on the row's ETag:
 * of two workers that read a free lease, only one can take it.
 *
 * A release that keeps every state column the row held (a healthy connection probed again: the common
 * case) merges the new state over the row and empties the lease columns; one that drops a column (a
 * failure streak ending) replaces the row. Both are one conditional write and leave the same state.
 * Table Storage charges them alike, but Azurite replaces a row by deleting and inserting it, in time that
 * grows with the table (about three times a merge's at 100,000 rows, measured on its LokiJS store),
 * which a benchmark measures as Vigil's.
 */
export function createConnectionTable(table: TableClient): LeaseStore & ConnectionStateStore {
  const ready = ensureTable(table);
  /** The state columns a lease's row held when it was taken, when known: what a release must not leave behind. */
  const heldColumns = new WeakMap<Lease, readonly string[]>();
  const held = (lease: Lease | undefined, columns: readonly string[] | undefined) => {
    if (lease && columns) heldColumns.set(lease, columns);
    return lease;
  };
  const read = async (ref: ConnectionRef): Promise<TableEntityResult<Row> | undefined> => {
    await ready();
    return readEntity<Row>(table, keysOf(ref).partitionKey, keysOf(ref).rowKey);
  };
  /**
   * Writes a lease over the row at `version` (null: there is no row yet), conditional on that version:
   * of two workers that saw the same row, only one gets the lease. Undefined when the row moved on.
   */
  const writeLease = async (ref: ConnectionRef, holder: string, expiresAt: string, version: string | null): Promise<Lease | undefined> => {
    const lease = { ...keysOf(ref), leaseHolder: holder, leaseExpiresAt: expiresAt };
    const etag = await etagIfUnchanged(() =>
      version === null ? table.createEntity(lease) : table.updateEntity(lease, 'Merge', { etag: version }),
    );
    if (etag !== false) return { ref, holder, expiresAt, token: etag };
    // The SDK sends a write again when its answer was lost; the repeat then fails its condition although
    // the first one landed. The row says whose lease it is.
    const row = await read(ref);
    return row?.leaseHolder === holder && row.leaseExpiresAt === expiresAt && row.etag
      ? { ref, holder, expiresAt, token: row.etag }
      : undefined;
  };
  return {
    async acquire(ref, holder, now, duration, planned) {
      await ready();
      const expiresAt = toIsoUtc(now.plus(duration));
      // The row as the planner read it (never one whose lease was live then): one write while it is unchanged.
      // The planned state's columns are the row's, unless the row held a state that did not parse, or columns
      // parsing dropped (then unknown: the release replaces the row).
      const plannedColumns =
        planned && (planned.state && !planned.strayColumns ? columnsOfState(planned.state) : planned.version === null ? [] : undefined);
      const asPlanned = planned && held(await writeLease(ref, holder, expiresAt, planned.version), plannedColumns);
      if (asPlanned) return { kind: 'acquired', lease: asPlanned, state: planned.state, asPlanned: true };
      const row = await read(ref);
      if (row?.leaseExpiresAt && Date.parse(row.leaseExpiresAt) > now.toMillis()) return { kind: 'busy', heldUntil: row.leaseExpiresAt };
      const lease = held(await writeLease(ref, holder, expiresAt, row?.etag ?? null), row ? stateColumnsOf(row) : []);
      if (!lease) return { kind: 'busy', heldUntil: expiresAt };
      return { kind: 'acquired', lease, state: row ? fromRow(row) : undefined, asPlanned: false };
    },
    async release(lease, state) {
      const { partitionKey, rowKey } = keysOf(lease.ref);
      if (!state) return writeIfUnchanged(() => table.deleteEntity(partitionKey, rowKey, { etag: lease.token }));
      const row = toConnectionRow(state);
      const columns = heldColumns.get(lease);
      if (columns?.every((column) => column in row))
        return writeIfUnchanged(() => table.updateEntity({ ...row, leaseHolder: '', leaseExpiresAt: '' }, 'Merge', { etag: lease.token }));
      return writeIfUnchanged(() => table.updateEntity(row, 'Replace', { etag: lease.token }));
    },
    async list() {
      await ready();
      const states: ConnectionState[] = [];
      for await (const row of table.listEntities<Row>()) {
        const state = fromRow(row);
        if (state) states.push(state);
      }
      return states;
    },
    async listVaultRows(vaultUrl) {
      await ready();
      const rows: StoredConnectionRow[] = [];
      const pool = createRowValuePool();
      const pages = table.listEntities<Row>({ queryOptions: { filter: vaultPartitions(vaultUrl) } }).byPage({ maxPageSize: ROWS_PAGE });
      for await (const page of pages) for (const row of page) rows.push(toStoredRow(row, vaultUrl, pool));
      return rows;
    },
    async forget(ref, version) {
      const { partitionKey, rowKey } = keysOf(ref);
      return writeIfUnchanged(() => table.deleteEntity(partitionKey, rowKey, { etag: version }));
    },
    async get(ref) {
      const row = await read(ref);
      return row ? fromRow(row) : undefined;
    },
    async saveUnleased(state, now) {
      const row = await read(state);
      if (row?.leaseExpiresAt && Date.parse(row.leaseExpiresAt) > now.toMillis()) return false;
      return writeIfUnchanged(() =>
        row ? table.updateEntity(toConnectionRow(state), 'Replace', { etag: row.etag }) : table.createEntity(toConnectionRow(state)),
      );
    },
  };
}

/** Flattens a state into a row: absent fields are left out; problems, the client secret and its finding go in as JSON. */
export function toConnectionRow(state: ConnectionState): Row & { partitionKey: string; rowKey: string } {
  const fields = Object.fromEntries(setFieldsOf(state).map(([k, v]) => [k, jsonFields.has(k) ? JSON.stringify(v) : v]));
  return { ...fields, ...keysOf(state) };
}
/** The fields of a state that a row holds: those set. */
const setFieldsOf = (state: ConnectionState): Array<[string, unknown]> => Object.entries(state).filter(([, v]) => v !== undefined);
const jsonFields: ReadonlySet<string> = new Set(['problems', 'clientSecret', 'linkedFinding']);
const problemsSchema = z.array(z.string());

/**
 * Columns whose values repeat across connections by nature (one vault, tenant, app, owner or team serves
 * many): a pool keeps one copy of each. Times, names and versions differ per connection and are left alone.
 */
const repeatedColumns = [
  'vaultUrl',
  'status',
  'grantedScopes',
  'tenant',
  'owner',
  'team',
  'downstream',
  'failureClass',
  'lastErrorCode',
  'whoMustAct',
  'remediation',
  'alertedClass',
] as const;
/** Times a row often holds twice, as one instant: a success, a write-back or a streak's start at its last attempt. */
const attemptTimes = ['lastSuccess', 'lastWriteBack', 'failingSince'] as const;

/**
 * A row that only a lease ever wrote has no status yet, and no state. A state that does not parse is
 * treated the same way: the planner then refreshes the connection as new, which writes it afresh. With a
 * pool, the state shares its repeated values with the other rows read through it (read-only, as every
 * state is: a new state is always a new object).
 */
function fromRow(row: Row, pool?: RowValuePool): ConnectionState | undefined {
  if (typeof row['status'] !== 'string') return undefined;
  const {
    partitionKey: _p,
    rowKey: _r,
    etag: _e,
    timestamp: _t,
    leaseHolder: _h,
    leaseExpiresAt: _x,
    problems,
    clientSecret,
    linkedFinding,
    ...rest
  } = row;
  const json = pool ? pool.parsed.bind(pool) : parseStored;
  if (pool) {
    for (const column of repeatedColumns) if (typeof rest[column] === 'string') rest[column] = pool.text(rest[column]);
    for (const column of attemptTimes) if (rest[column] === rest['lastAttempt']) rest[column] = rest['lastAttempt'];
  }
  const stored = {
    problems: json(problemsSchema, problems),
    clientSecret: json(connectionCredentialFactsSchema, clientSecret),
    linkedFinding: json(storedLinkedFindingSchema, linkedFinding),
  };
  const parsed = connectionStateSchema.safeParse({ ...rest, ...stored });
  if (!parsed.success) return undefined;
  const state = parsed.data;
  if (!pool) return state;
  // Zod checks into copies: a pooled state holds the pooled values themselves, equal to those copies.
  if (state.clientSecret) state.clientSecret = stored.clientSecret;
  if (state.status === 'misconfigured' && stored.problems) state.problems = stored.problems;
  if (state.status === 'failing' && state.linkedFinding) state.linkedFinding = stored.linkedFinding;
  return state;
}
