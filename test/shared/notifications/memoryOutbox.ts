import { keptOnceDelivered, type OutboxMessage } from '../../../shared/notifications/OutboxMessage.js';
import type { ClaimResult, DeliveryRecord, OutboxClaims, OutboxStore } from '../../../shared/notifications/OutboxPorts.js';

interface Row {
  message: OutboxMessage | { unreadable: string };
  record: DeliveryRecord;
  unreadable: boolean;
  claimUntil?: string;
  version: number;
}

/**
 * The outbox ports in memory, with the table adapter's rules (claims conditional on a version, a record
 * per message), for unit tests of the delivery core. `failing` makes the named operations throw as a
 * storage outage would.
 */
export function memoryOutbox() {
  const rows = new Map<string, Row>();
  const failing = new Set<'settle' | 'remove' | 'claim'>();
  /** Each removal, and whether it came with the claim that read the message (the table then need not read it again). */
  const removals: string[] = [];
  const outage = () => Object.assign(new Error('storage down'), { statusCode: 503, code: 'ServerBusy' });
  const store: OutboxStore & OutboxClaims = {
    async save(messages) {
      for (const m of messages)
        rows.set(m.id, { message: structuredClone(m), record: { status: 'pending', nextAttempt: 1 }, unreadable: false, version: 1 });
    },
    async saveNew(messages) {
      await store.save(messages.filter((m) => !rows.has(m.id)));
    },
    async load(id) {
      const row = rows.get(id);
      return row && 'id' in row.message ? row.message : undefined;
    },
    async remove(id, claimed) {
      if (failing.has('remove')) throw outage();
      removals.push(claimed ? `${id} by its claim` : `${id} read again`);
      rows.delete(id);
    },
    async removeDelivered(before, max) {
      const old = [...rows.entries()].filter(([, r]) => r.record.status === 'delivered' && Date.parse(r.record.at) < before.toMillis());
      for (const [id] of old.slice(0, max)) rows.delete(id);
      return Math.min(old.length, max);
    },
    async listHeld() {
      return [...rows.values()].flatMap((r) => ('id' in r.message && r.message.held ? [r.message] : []));
    },
    async claim(ticket, until, now): Promise<ClaimResult> {
      if (failing.has('claim')) throw outage();
      const row = rows.get(ticket.id);
      if (!row) return { kind: 'missing' };
      const { record } = row;
      if (record.status === 'delivered') return { kind: 'delivered', record, kept: 'id' in row.message && keptOnceDelivered(row.message) };
      if (ticket.attempt < record.nextAttempt) return { kind: 'superseded', record };
      if (row.claimUntil && Date.parse(row.claimUntil) > now.toMillis()) return { kind: 'busy', until: row.claimUntil };
      if (!('id' in row.message)) return { kind: 'unreadable', reason: row.message.unreadable, parked: row.unreadable, route: 'creatio' };
      row.claimUntil = until.toUTC().toISO()!;
      row.version += 1;
      return {
        kind: 'claimed',
        message: structuredClone(row.message),
        record,
        claim: {
          messageId: ticket.id,
          token: String(row.version),
          until: row.claimUntil,
          kept: keptOnceDelivered(row.message),
          items: row.message.items.length,
        },
      };
    },
    async settle(claim, record) {
      if (failing.has('settle')) throw outage();
      const row = rows.get(claim.messageId);
      if (!row || String(row.version) !== claim.token) return false;
      row.record = record;
      delete row.claimUntil;
      row.version += 1;
      return true;
    },
    async markUnreadable(id, reason, now) {
      const row = rows.get(id);
      if (!row) return;
      row.unreadable = true;
      row.record = {
        status: 'parked',
        at: now.toUTC().toISO()!,
        nextAttempt: row.record.status === 'delivered' ? 1 : row.record.nextAttempt,
        reason,
      };
    },
  };
  return {
    store,
    rows,
    failing,
    removals,
    /** Puts a row that does not parse, as a corrupt table row would read. */
    corrupt(id: string, reason: string) {
      rows.set(id, { message: { unreadable: reason }, record: { status: 'pending', nextAttempt: 1 }, unreadable: false, version: 1 });
    },
  };
}
