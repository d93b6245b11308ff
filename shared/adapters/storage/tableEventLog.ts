import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { EventPublisher } from '../../events/EventPublisher.js';
import type { VigilEvent } from '../../events/vigilEvent.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { submitActions } from './actionTransactions.js';
import { chunks, ensureTable, groupsOf, odataString, TRANSACTION_ROWS } from './ensureTable.js';

/**
 * A tenant's events are spread over shards (`{tenant}~{hh}{h}`): appending every event of a tenant to one
 * partition is Table Storage's documented hot-partition anti-pattern (a partition serves about 2,000
 * entities/s), and Azurite's lookups slow down with the size of a partition. `hh`, one of 256, is the
 * hash of the event's time: the events of one publish share their time (the producer's `now`).
 * `h`, one of 16, is the hash of an event's id, and is only there for a first scan's thousands of events of
 * one instant, which would otherwise all land in one partition (12,000 rows, written at once). A publish's
 * events of one tenant and instant that one transaction holds (most publishes: a scan's few credential
 * events and its `scan.completed`) all take the `h` of the least id among them, and go as one transaction
 * rather than a request for each shard they would spread over (ten events over about eight); more than
 * that spread by each event's own id. A lone event's shard is then its own, as are the events of a
 * large publish, and the shard depends on which events share the publish, never on their order. An event
 * published again in the same publish replaces its own row; published again in another (a retried step
 * that publishes some of them), it may land in another shard under the same row key, and `list` keeps
 * one of the two. Rows written before the second part (`{tenant}~{hh}`) are still listed.
 */
const timeShardOf = (event: VigilEvent) => `${event.tenantId}~${hashOf(event.time).slice(0, 2)}`;
const idPartOf = (id: string) => hashOf(id).slice(0, ID_SHARD_DIGITS);
/** Hex digits of the id's hash in a shard: an instant's events spread over 16 ** this partitions. */
const ID_SHARD_DIGITS = 1;
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Writes of one publish in flight at once, at most one a partition: the shards of one instant (`h`). A small
 * publish's instants (a transaction each) then go all at once, as a scan waits for its publish after Graph's
 * last answer; a larger one goes at the same pace, never slower for being larger (a first scan's thousands of
 * events, 16 partitions of one instant, at once each one transaction after another); and no partition gets two
 * at once within one publish, which throttles a hot one in Table Storage and took Azurite past the try timeout
 * when one partition had 120 transactions at once.
 * Full transactions are held to LARGE_WRITES_AT_ONCE of these.
 */
const WRITES_AT_ONCE = 16 ** ID_SHARD_DIGITS;

/**
 * Large transactions (more than a quarter of the 100 a transaction holds) in flight at once: the data-tables SDK
 * runs each row of a transaction through a request pipeline of its own (tens of kB of work a row), so 16 full
 * transactions at once held four times the memory of 4 during a messy tenant's first scan, the scan's memory
 * peak. 2, as a first scan's own finding writes (findingTable's FIRST_SCAN_WRITES): a first scan publishes its
 * credential events beside its last finding writes, and what each transaction holds while it waits is moved to
 * the old generation the more work runs beside it. Small writes (a small publish's, a lane's tail) still go 16 at once.
 */
const LARGE_WRITES_AT_ONCE = 2;
const LARGE_WRITE_ROWS = 25;

/** Each event with its shard (see `timeShardOf`): a tenant's events of one instant that fit one transaction share one. */
function shardsOf(events: readonly VigilEvent[]): Array<{ event: VigilEvent; shard: string }> {
  return [...groupsOf(events, timeShardOf)].flatMap(([instant, together]) => {
    if (together.length > TRANSACTION_ROWS) return together.map((event) => ({ event, shard: `${instant}${idPartOf(event.id)}` }));
    const least = together.reduce((a, b) => (b.id < a.id ? b : a)).id;
    const shard = `${instant}${idPartOf(least)}`;
    return together.map((event) => ({ event, shard }));
  });
}

/** Inverted time first, so each shard lists newest first; the id keeps rows of one instant apart. */
const rowKeyOf = (event: VigilEvent) => `${String(8_640_000_000_000_000 - Date.parse(event.time)).padStart(16, '0')}-${event.id}`;

/**
 * Keeps every published event in Table Storage as the audit trail of what Vigil observed. Channels hang
 * off this through the notification pipeline. Writes are idempotent as the log is read: an event published
 * again (a retried step) with the same events replaces its own row; alone or in another batch it may have a
 * second row in another shard under the same row key, and `list` lists it once.
 */
export function createTableEventLog(table: TableClient): EventPublisher & { list(tenantId?: string): Promise<VigilEvent[]> } {
  const ready = ensureTable(table);
  return {
    async publish(events) {
      await ready();
      const shards = shardsOf(events);
      // One lane a partition, its transactions (runs of up to 100 rows) one after another.
      const lanes = [...groupsOf(shards, ({ shard }) => shard).values()].map((rows) => chunks(rows));
      const limit = createConcurrencyLimit(WRITES_AT_ONCE);
      const large = createConcurrencyLimit(LARGE_WRITES_AT_ONCE);
      // A row's JSON is made as its transaction starts: made at once, a first scan's thousands of event rows
      // waited in memory beside the events while a few transactions went at a time.
      const upsert = ({ event, shard }: { event: VigilEvent; shard: string }): TransactionAction => [
        'upsert',
        { partitionKey: shard, rowKey: rowKeyOf(event), type: event.type, event: JSON.stringify(event) },
        'Replace',
      ];
      // A lone event (each refresh publishes one) goes as a plain request: a transaction costs more for one row.
      // Rows too large for one transaction together (4 MiB) go in as many as hold them, one after another.
      const send = (write: typeof shards) => submitActions(table, write.map(upsert));
      // A lane holds no slot while it waits: a large write takes its large slot before a write slot, so small
      // lanes are not kept waiting behind lanes that only wait for a large slot.
      const write = (w: typeof shards) => (w.length > LARGE_WRITE_ROWS ? large(() => limit(() => send(w))) : limit(() => send(w)));
      await Promise.all(
        lanes.map(async (lane) => {
          for (const w of lane) await write(w);
        }),
      );
    },
    /** Newest first: the shards merged by row key (inverted time). */
    async list(tenantId) {
      const rows: { rowKey: string; event: string }[] = [];
      const shards = tenantId
        ? {
            queryOptions: {
              filter: `PartitionKey gt ${odataString(`${tenantId}~`)} and PartitionKey lt ${odataString(`${tenantId}~~`)}`,
            },
          }
        : {};
      try {
        for await (const row of table.listEntities<{ event: string }>(shards)) rows.push({ rowKey: row.rowKey!, event: row.event });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      // An event published again in another grouping (shardsOf), or before and after the shards gained their id part,
      // has a row in each shard, under the same row key: one is listed.
      return rows
        .sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0))
        .filter((row, i) => i === 0 || row.rowKey !== rows[i - 1]!.rowKey)
        .map((row) => JSON.parse(row.event) as VigilEvent);
    },
  };
}
