import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { channelLabel, keptOnceDelivered } from '../../notifications/OutboxMessage.js';
import type { ClaimResult, OutboxClaims } from '../../notifications/OutboxPorts.js';
import { toIsoUtc } from '../../helpers/toIsoUtc.js';
import type { DeliveredIndex } from './deliveredIndex.js';
import { etagIfUnchanged, writeIfUnchanged } from './readEntity.js';
import { describeIssues, fromDeliveryRecord, headerContentSchema, isKept, recordRowSchema, toDeliveryRecord } from './outboxRows.js';
import type { OutboxHeader, OutboxReader } from './outboxReader.js';

/**
 * The outbox's claims on its header rows (outboxTable.ts): a delivery claims a message, then settles it
 * where it stands. Every write is conditional on the header's ETag, so of two copies of a ticket only
 * one holds the claim.
 */
export function createOutboxClaims(
  table: TableClient,
  ready: () => Promise<void>,
  reader: OutboxReader,
  index: DeliveredIndex,
): OutboxClaims {
  return {
    async claim(ticket, until, now) {
      await ready();
      for (;;) {
        const head = await reader.header(ticket.id);
        if (!head) return { kind: 'missing' };
        const decided = decide(head, ticket.attempt, now.toMillis());
        if (decided) return decided;
        const loaded = await reader.read(ticket.id, head);
        const row = recordRowSchema.parse(head);
        if (loaded.kind === 'unreadable') return { kind: 'unreadable', reason: loaded.reason, parked: false, ...labelsOf(head) };
        const token = await etagIfUnchanged(() =>
          table.updateEntity(
            { partitionKey: ticket.id, rowKey: 'header', claimUntil: toIsoUtc(until), claimHolder: randomUUID() },
            'Merge',
            { etag: head.etag },
          ),
        );
        // Another copy wrote first: read again, it now holds the claim (or has settled).
        if (token === false) continue;
        const record = toDeliveryRecord(row);
        if (record.status === 'delivered') return { kind: 'delivered', record, kept: keptOnceDelivered(loaded.message) }; // decided above; narrows the type
        const kept = keptOnceDelivered(loaded.message);
        const claim = { messageId: ticket.id, token, until: toIsoUtc(until), kept, items: loaded.message.items.length };
        return { kind: 'claimed', message: loaded.message, record, claim };
      }
    },
    async settle(claim, record) {
      // A kept stand-in is indexed before its header says delivered, so the sweep always finds it; any other
      // delivery only dates the index (one write per process), for the scan of messages older code delivered.
      if (record.status === 'delivered') await (claim.kept ? index.record(claim.messageId, record.at) : index.date(record.at));
      const fields = { partitionKey: claim.messageId, rowKey: 'header', ...fromDeliveryRecord(record) };
      return writeIfUnchanged(() => table.updateEntity(fields, 'Merge', { etag: claim.token }));
    },
    async markUnreadable(id, reason, now) {
      const fields = {
        partitionKey: id,
        rowKey: 'header',
        status: 'parked',
        unreadable: true,
        parkedReason: reason,
        settledAt: toIsoUtc(now),
        claimUntil: '',
      };
      await writeIfUnchanged(() => table.updateEntity(fields, 'Merge'));
    },
  };
}

/** What the header's delivery fields alone decide, before any item is read; undefined: it may be claimed. */
function decide(head: OutboxHeader, attempt: number, nowMs: number): ClaimResult | undefined {
  const parsed = recordRowSchema.safeParse(head);
  if (!parsed.success) return { kind: 'unreadable', reason: describeIssues('header', parsed.error), parked: false, ...labelsOf(head) };
  const row = parsed.data;
  const record = toDeliveryRecord(row);
  if (record.status === 'delivered') return { kind: 'delivered', record, kept: isKept(head) };
  if (attempt < record.nextAttempt) return { kind: 'superseded', record };
  if (row.claimUntil && Date.parse(row.claimUntil) > nowMs) return { kind: 'busy', until: row.claimUntil };
  if (row.unreadable) return { kind: 'unreadable', reason: row.parkedReason ?? 'unreadable', parked: true, ...labelsOf(head) };
  return undefined;
}

/** The route and channel of a damaged header, when they can still be told, for the report. */
function labelsOf(head: OutboxHeader): { route?: string; channel?: string } {
  const route = typeof head['route'] === 'string' ? head['route'] : undefined;
  const content = headerContentSchema.shape.channel.safeParse(head['channel']);
  const channel = content.success ? channelLabel(content.data) : undefined;
  return { ...(route ? { route } : {}), ...(channel ? { channel } : {}) };
}
