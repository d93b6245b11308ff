import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { severities } from '../../events/vigilEvent.js';
import {
  routeStateSchema,
  snoozeSchema,
  stateKey,
  storedEventSchema,
  type FindingRecord,
  type NotificationState,
  type OpenRouteState,
  type RouteState,
  type Stored,
} from '../../notifications/NotificationState.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { ensureTable, odataString } from './ensureTable.js';

/** Route names start with a letter or digit, so this row key never collides with one. */
export const findingRow = '~finding';
/**
 * Requests of one call in flight at once. Each finding is its own partition, so its rows cannot share a
 * transaction: a messy tenant's first scan records thousands of findings, which must not all leave at once
 * (each would wait on the others past the storage try timeout).
 */
const parallelRequests = 16;

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(schema);
const routeRow = z.object({ rowKey: z.string(), etag: z.string(), state: jsonOf(routeStateSchema) });
const findingRowSchema = z.object({
  findingId: z.string(),
  key: z.string(),
  type: z.string(),
  severity: z.enum(severities),
  tenantId: z.string(),
  name: z.string(),
  endDateTime: z.string().optional(),
  lastSeen: z.string(),
  event: storedEventSchema.optional().catch(undefined),
  // An empty string is a snooze that was lifted.
  snooze: z
    .string()
    .optional()
    .transform((text) => (text ? snoozeSchema.parse(JSON.parse(text)) : undefined)),
});

/** A `~finding` row as its record: the finding's facts, its last opening event and its snooze. */
export const parseFindingRow = (row: unknown): FindingRecord => {
  const { endDateTime, event, snooze, ...rest } = findingRowSchema.parse(row);
  return { ...rest, ...(endDateTime ? { endDateTime } : {}), ...(event ? { event } : {}), ...(snooze ? { snooze } : {}) };
};
const toRouteRow = (key: string, state: RouteState) => {
  const [findingId, route] = key.split('/') as [string, string];
  return { partitionKey: findingId, rowKey: route, state: JSON.stringify(state) };
};

/**
 * Notification state in Table Storage, one partition per finding: a row per route (what that route was
 * last told, written only at the ETag it was read with) and a `~finding` row (the last opening event and
 * the snooze). Rows are parsed with their schemas; a route row from an older version reads as its status.
 */
export function createNotificationStateTable(table: TableClient): NotificationState {
  const ready = ensureTable(table);
  const readPartition = async (findingId: string) => {
    const rows: Array<Record<string, unknown>> = [];
    for await (const row of table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq ${odataString(findingId)}` },
    }))
      rows.push(row);
    return rows;
  };
  const getRow = (partitionKey: string, rowKey: string) => readEntity<Record<string, unknown>>(table, partitionKey, rowKey);
  return {
    async load(findingIds) {
      await ready();
      const routes = new Map<string, Stored<RouteState>>();
      const findings = new Map<string, FindingRecord>();
      const limit = createConcurrencyLimit(parallelRequests);
      await Promise.all(
        findingIds.map((id) =>
          limit(async () => {
            for (const row of await readPartition(id)) {
              if (row['rowKey'] === findingRow) findings.set(id, parseFindingRow(row));
              else {
                const r = routeRow.parse(row);
                routes.set(stateKey(id, r.rowKey), { value: r.state, etag: r.etag });
              }
            }
          }),
        ),
      );
      return { routes, findings };
    },
    async commit({ key, next, etag }) {
      await ready();
      const written = await writeIfUnchanged(() =>
        etag === undefined ? table.createEntity(toRouteRow(key, next)) : table.updateEntity(toRouteRow(key, next), 'Replace', { etag }),
      );
      return written ? 'committed' : 'conflict';
    },
    async read(key) {
      await ready();
      const [findingId, route] = key.split('/') as [string, string];
      const row = await getRow(findingId, route);
      if (!row) return undefined;
      const r = routeRow.parse(row);
      return { value: r.state, etag: r.etag };
    },
    async recordFindings(records) {
      await ready();
      // Merge keeps the `snooze` property a person set.
      const limit = createConcurrencyLimit(parallelRequests);
      await Promise.all(
        records.map(({ event, ...r }) =>
          limit(() =>
            table.upsertEntity(
              { partitionKey: r.findingId, rowKey: findingRow, ...r, ...(event ? { event: JSON.stringify(event) } : {}) },
              'Merge',
            ),
          ),
        ),
      );
    },
    async getFinding(findingId) {
      await ready();
      const row = await getRow(findingId, findingRow);
      return row ? parseFindingRow(row) : undefined;
    },
    async setSnooze(findingId, snooze) {
      await ready();
      await table.upsertEntity({ partitionKey: findingId, rowKey: findingRow, snooze: snooze ? JSON.stringify(snooze) : '' }, 'Merge');
    },
    async clearSnooze(findingId, until) {
      await ready();
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await getRow(findingId, findingRow);
        const current = row ? findingRowSchema.parse(row).snooze : undefined;
        if (!row || current?.until !== until) return;
        try {
          await table.updateEntity({ partitionKey: findingId, rowKey: findingRow, snooze: '' }, 'Merge', { etag: row['etag'] });
          return;
        } catch (error) {
          if (statusOf(error) !== 412) throw error;
        }
      }
    },
    async listOpen() {
      await ready();
      const open: Array<{ findingId: string; route: string; state: Stored<OpenRouteState> }> = [];
      // Every route row (a scan of the table, once a day): rows of older versions carry their status only in JSON.
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `RowKey ne '${findingRow}'`, select: ['PartitionKey', 'RowKey', 'state'] },
      })) {
        const r = routeRow.parse(row);
        if (r.state.status === 'open')
          open.push({ findingId: row['partitionKey'] as string, route: r.rowKey, state: { value: r.state, etag: r.etag } });
      }
      return open;
    },
  };
}
