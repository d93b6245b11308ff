import { z } from 'zod';
import { jsonText } from '../../helpers/jsonText.js';
import { notificationItemSchema } from '../../notifications/NotificationItem.js';
import { keptOnceDelivered, namedChannelKinds, type ChannelRef, type OutboxMessage } from '../../notifications/OutboxMessage.js';
import type { DeliveryRecord } from '../../notifications/OutboxPorts.js';

const channelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mail') }),
  ...namedChannelKinds.map((kind) => z.object({ kind: z.literal(kind), name: z.string().min(1) })),
]) satisfies z.ZodType<ChannelRef>;

/** What a message is: the header row's content fields. */
export const headerContentSchema = z.object({
  route: z.string().min(1),
  channel: jsonText(channelRefSchema),
  createdAt: z.iso.datetime({ offset: true }),
  held: z.boolean().default(false),
  count: z.number().int().min(0),
  fallbackFor: z.string().optional(),
});

/** One item row's `item` property. */
export const itemRowSchema = z.object({ item: jsonText(notificationItemSchema) });

const time = z.iso.datetime({ offset: true });
/** '' is how a merge clears a property (Table Storage cannot remove one in a merge). */
const maybeTime = z
  .union([time, z.literal('')])
  .optional()
  .transform((v) => v || undefined);

/**
 * Where a message stands: the header row's delivery fields (absent on rows the pipeline just wrote,
 * which are pending for their first ticket). Parsed on their own, so a message whose content is damaged
 * can still be known as delivered or parked.
 */
export const recordRowSchema = z.object({
  status: z.enum(['pending', 'delivered', 'parked']).default('pending'),
  nextAttempt: z.number().int().min(1).default(1),
  failingSince: maybeTime,
  fellBackAt: maybeTime,
  settledAt: maybeTime,
  deliveredAttempt: z.number().int().min(1).optional(),
  parkedReason: z.string().optional(),
  unreadable: z.boolean().default(false),
  claimUntil: maybeTime,
});
export type RecordRow = z.output<typeof recordRowSchema>;

export function toDeliveryRecord(row: RecordRow): DeliveryRecord {
  const since = {
    ...(row.failingSince ? { failingSince: row.failingSince } : {}),
    ...(row.fellBackAt ? { fellBackAt: row.fellBackAt } : {}),
  };
  if (row.status === 'delivered') return { status: 'delivered', at: row.settledAt ?? '', attempt: row.deliveredAttempt ?? row.nextAttempt };
  if (row.status === 'parked')
    return {
      status: 'parked',
      at: row.settledAt ?? '',
      nextAttempt: row.nextAttempt,
      reason: row.parkedReason ?? '',
      ...(row.fellBackAt ? { fellBackAt: row.fellBackAt } : {}),
    };
  return { status: 'pending', nextAttempt: row.nextAttempt, ...since };
}

/** The header properties that say where a message stands (and end any claim). */
export function fromDeliveryRecord(record: DeliveryRecord): Record<string, string | number | boolean> {
  const cleared = { claimUntil: '', failingSince: '', fellBackAt: '', settledAt: '' };
  switch (record.status) {
    case 'delivered':
      return { ...cleared, status: 'delivered', settledAt: record.at, deliveredAttempt: record.attempt };
    case 'parked':
      return {
        ...cleared,
        status: 'parked',
        settledAt: record.at,
        nextAttempt: record.nextAttempt,
        parkedReason: record.reason,
        fellBackAt: record.fellBackAt ?? '',
      };
    case 'pending':
      return {
        ...cleared,
        status: 'pending',
        nextAttempt: record.nextAttempt,
        failingSince: record.failingSince ?? '',
        fellBackAt: record.fellBackAt ?? '',
      };
  }
}

/** A header's content field that says the message is kept once delivered (a stand-in). */
const keptSchema = headerContentSchema.pick({ fallbackFor: true });
/** Whether a header's message is kept once delivered (keptOnceDelivered), read from its header alone. */
export const isKept = (head: Record<string, unknown>): boolean => keptOnceDelivered(keptSchema.safeParse(head).data ?? {});

/** When a message was delivered, if its header says it was. */
export function deliveredAt(head: Record<string, unknown> | undefined): string | undefined {
  const parsed = head && recordRowSchema.safeParse(head);
  return parsed?.success && parsed.data.status === 'delivered' ? parsed.data.settledAt : undefined;
}

/** A new message's header row; its delivery fields start empty (pending, first ticket). */
export function toHeaderRow(m: OutboxMessage): Record<string, string | number | boolean> {
  return {
    route: m.route,
    channel: JSON.stringify(m.channel),
    createdAt: m.createdAt,
    held: m.held,
    count: m.items.length,
    ...(m.fallbackFor ? { fallbackFor: m.fallbackFor } : {}),
  };
}

/** "route: Required; item-000003: is not valid JSON": which fields of which row, never their values. */
export function describeIssues(row: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${row}${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i.message}`)
    .join('; ');
}
