import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { DateTime } from 'luxon';
import type { ClaimOutcome, ScanState, ScanStateStore } from '../../scanner/ScanPorts.js';
import { scanStateSchema } from '../../scanner/scanStateSchema.js';
import { ensureTable } from './ensureTable.js';
import { fromKeptIntelligenceColumn, toKeptIntelligenceColumn } from './keptIntelligenceColumn.js';
import { parseStored } from './parseStored.js';
import { etagIfUnchanged, readEntity, writeIfUnchanged } from './readEntity.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';

const ROW = 'state';
/** What deciding whose lease it is reads: never the kept intelligence. */
const LEASE_COLUMNS: (keyof StateRow)[] = ['state', 'leaseUntil', 'leaseHolder'];

interface StateRow {
  state: string;
  /** ISO time until which a scan holds the tenant; empty when free. */
  leaseUntil: string;
  /** Who holds it: the queue message's id, so a redelivery of the same message may take it back. */
  leaseHolder?: string;
  /** The kept policies and federated apps (keptIntelligenceColumn.ts), apart so the status page's list never reads them; absent on older rows. */
  intelligence?: string;
}

export interface ScanStateTable extends ScanStateStore {
  /** Every tenant's state without its kept intelligence (the status page's counts and failures). */
  listAll(): Promise<ScanState[]>;
}

/**
 * A row per tenant: delta links, last scans, failure, kept intelligence, and a lease taken with an ETag condition over the
 * row as it was read, so of two workers given the same tenant only one scans it. A crashed worker's lease ends after `leaseMs`,
 * and the same holder (a redelivered message) may take its own lease back at once. A write whose
 * answer was lost and that the SDK sent again fails its condition: the row is read to see whose it is.
 * The claim cannot carry the read: an update or merge answers no row, an insert only the row it made.
 */
export function createScanStateTable(table: TableClient, leaseMs = 30 * 60_000): ScanStateTable {
  const ready = ensureTable(table);
  const read = async (tenantId: string, select?: (keyof StateRow)[]): Promise<TableEntityResult<StateRow> | undefined> => {
    await ready();
    return readEntity<StateRow>(table, tenantId, ROW, select);
  };
  const heldBy = (row: StateRow | undefined, holder: string) => row?.leaseHolder === holder;
  /** The lease, on the condition that the row is still as `row` was read (absent: that nobody made it since). */
  const claim = async (
    tenantId: string,
    now: DateTime,
    holder: string,
    row: TableEntityResult<StateRow> | undefined,
  ): Promise<ClaimOutcome> => {
    const leaseUntil = toIsoUtc(now.plus({ milliseconds: leaseMs }));
    const lease = { partitionKey: tenantId, rowKey: ROW, leaseUntil, leaseHolder: holder };
    const taken = await etagIfUnchanged(() =>
      row
        ? table.updateEntity(lease, 'Merge', { etag: row.etag })
        : table.createEntity<StateRow>({ ...lease, state: JSON.stringify({ tenantId }) }),
    );
    let version = taken || undefined;
    if (taken === false) {
      // Another holder's write, or this one's own whose answer was lost and that the SDK sent again.
      const after = await read(tenantId, LEASE_COLUMNS);
      if (!heldBy(after, holder)) return { kind: 'busy', until: after?.leaseUntil || leaseUntil };
      version = after?.etag;
    }
    return { kind: 'acquired', lease: { tenantId, holder, version } };
  };
  return {
    async read(tenantId, now, holder) {
      const row = await read(tenantId);
      const live = row?.leaseUntil && row.leaseUntil > toIsoUtc(now);
      if (row && live && !heldBy(row, holder)) return { kind: 'busy', until: row.leaseUntil };
      // A state that does not parse starts the tenant afresh (a first delta round), like a new one.
      const stored = row && parseStored(scanStateSchema, row.state);
      const state = stored ? { ...stored, intelligence: fromKeptIntelligenceColumn(row.intelligence) } : { tenantId };
      return { kind: 'free', state, stored: row !== undefined, claim: () => claim(tenantId, now, holder, row) };
    },
    async release(lease, state) {
      const { intelligence, ...rest } = state;
      const entity = {
        partitionKey: lease.tenantId,
        rowKey: ROW,
        state: JSON.stringify(rest),
        intelligence: toKeptIntelligenceColumn(intelligence),
        leaseUntil: '',
        leaseHolder: '',
      };
      // The row as the lease left it: one write, no read. Changed since (the lease ran out and another
      // holder took it, or this write's own answer was lost): read whose it is, as below.
      const version = lease.version;
      if (version && (await writeIfUnchanged(() => table.updateEntity<StateRow>(entity, 'Replace', { etag: version })))) return true;
      // Only whose lease it is and the state are read: the kept intelligence can be 30,000 characters.
      const row = await read(lease.tenantId, LEASE_COLUMNS);
      if (row && row.leaseHolder && !heldBy(row, lease.holder)) return false;
      const saved = await writeIfUnchanged(() =>
        row ? table.updateEntity<StateRow>(entity, 'Replace', { etag: row.etag }) : table.createEntity<StateRow>(entity),
      );
      if (saved) return true;
      // Our own write may have landed with its answer lost; anything else is another holder's.
      const after = await read(lease.tenantId, LEASE_COLUMNS);
      return after?.state === entity.state && !after.leaseHolder;
    },
    async listAll() {
      await ready();
      const states: ScanState[] = [];
      for await (const row of table.listEntities<StateRow>({ queryOptions: { select: ['state'] } })) {
        const state = parseStored(scanStateSchema, row.state);
        if (state) states.push(state);
      }
      return states;
    },
  };
}
