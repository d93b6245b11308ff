import type { TableClient } from '@azure/data-tables';
import type { DateTime } from 'luxon';
import type { LeaseOutcome, ScanState, ScanStateStore } from '../../scanner/ScanPorts.js';
import { ensureTable } from './ensureTable.js';

const ROW = 'state';

interface StateRow {
  state: string;
  /** ISO time until which a scan holds the tenant; empty when free. */
  leaseUntil: string;
}

export interface ScanStateTable extends ScanStateStore {
  listAll(): Promise<ScanState[]>;
}

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

/**
 * A row per tenant: delta links, last scans, failure, and a lease taken with an ETag condition, so of
 * two workers given the same tenant only one scans it. A crashed worker's lease ends after `leaseMs`.
 */
export function createScanStateTable(table: TableClient, leaseMs = 30 * 60_000): ScanStateTable {
  const ready = ensureTable(table);
  return {
    async acquire(tenantId: string, now: DateTime): Promise<LeaseOutcome> {
      await ready();
      const leaseUntil = now.plus({ milliseconds: leaseMs }).toUTC().toISO()!;
      try {
        const row = await table.getEntity<StateRow>(tenantId, ROW);
        if (row.leaseUntil && row.leaseUntil > now.toUTC().toISO()!) return { kind: 'busy', until: row.leaseUntil };
        await table.updateEntity({ partitionKey: tenantId, rowKey: ROW, leaseUntil }, 'Merge', { etag: row.etag });
        return { kind: 'acquired', state: JSON.parse(row.state) as ScanState };
      } catch (error) {
        if (statusOf(error) === 412) return { kind: 'busy', until: leaseUntil };
        if (statusOf(error) !== 404) throw error;
      }
      try {
        await table.createEntity<StateRow>({ partitionKey: tenantId, rowKey: ROW, state: JSON.stringify({ tenantId }), leaseUntil });
        return { kind: 'acquired', state: { tenantId } };
      } catch (error) {
        if (statusOf(error) === 409) return { kind: 'busy', until: leaseUntil };
        throw error;
      }
    },
    async release(state) {
      await ready();
      await table.upsertEntity<StateRow>(
        { partitionKey: state.tenantId, rowKey: ROW, state: JSON.stringify(state), leaseUntil: '' },
        'Replace',
      );
    },
    async listAll() {
      await ready();
      const states: ScanState[] = [];
      for await (const row of table.listEntities<StateRow>()) states.push(JSON.parse(row.state) as ScanState);
      return states;
    },
  };
}
