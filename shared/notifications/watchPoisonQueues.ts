import type { DateTime } from 'luxon';
import { z } from 'zod';
import { fallBackFrom } from './afterFailedAttempt.js';
import { bestEffort } from './bestEffort.js';
import { describeError } from '../helpers/describeError.js';
import { jsonText } from '../helpers/jsonText.js';
import { fallBack } from './fallBack.js';
import { outboxTicketSchema } from './OutboxMessage.js';
import type { ParkedMessage, PoisonQueues } from './OutboxPorts.js';
import { reportUnreadable } from './parkUnreadable.js';
import type { DeliveryDeps } from './processOutboxTicket.js';
import { toQueuePoisonedEvent, type QueueRole } from './toQueuePoisonedEvent.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';
import { reportedUnreadableKey } from './parkUnreadable.js';

export interface WatchedQueue {
  role: QueueRole;
  /** The queue a function reads; its poison queue is where the host parks what failed every try. */
  queue: string;
  poisonQueue: string;
}

export interface PoisonWatchDeps {
  queues: readonly WatchedQueue[];
  poison: PoisonQueues;
  /** Undefined without VIGIL_ROUTES: parked messages are counted and logged, not reported. */
  delivery: DeliveryDeps | undefined;
  /** Parked messages read per queue and run; a deeper backlog is read by the next runs, oldest first. */
  maxPerRun: number;
}

/** One queue's watch: its depth for the status page and telemetry, what was newly parked, and where it was reported. */
export type QueueWatch =
  | { kind: 'watched'; role: QueueRole; poisonQueue: string; depth: number; newlyParked: number; reportedOn: string[] }
  | { kind: 'unreadable'; role: QueueRole; poisonQueue: string; reason: string };

const ticketText = jsonText(outboxTicketSchema);
/** What the delivery handler parked after reporting it unreadable (parkUnreadable). */
const reportedBefore = jsonText(z.object({ [reportedUnreadableKey]: z.unknown() }));

/**
 * Looks at every Vigil poison queue and reports, once, the messages parked there and not reported yet:
 * the Functions host parks a message after host.json's maxDequeueCount failed runs, and until now nobody
 * was told. Refresh, scan and rotation messages become one `queue.poisoned` report per queue and run on
 * the default route's mail and Teams. An outbox ticket is looked at one by one: one Vigil parked itself
 * was reported then; one the host gave up on is reported with its notice, like a failing channel, and
 * marked parked, so a replay tries it once more and never resends what was delivered. Reported messages
 * move to the queue's `-reported` queue, so a backlog deeper than one run reads is reported over the next
 * runs, each message once. One queue that cannot be read never hides the others.
 */
export async function watchPoisonQueues(deps: PoisonWatchDeps, now: DateTime): Promise<QueueWatch[]> {
  return Promise.all(
    deps.queues.map(async (watched): Promise<QueueWatch> => {
      try {
        return await watchOne(watched, deps, now);
      } catch (error) {
        return { kind: 'unreadable', role: watched.role, poisonQueue: watched.poisonQueue, reason: describeError(error) };
      }
    }),
  );
}

async function watchOne(watched: WatchedQueue, deps: PoisonWatchDeps, now: DateTime): Promise<QueueWatch> {
  const delivery = deps.delivery;
  const base = { kind: 'watched' as const, role: watched.role, poisonQueue: watched.poisonQueue };
  // Without routes nobody can be told: the messages stay where they are, visible to whoever replays them (a
  // read would hide them for a while), and the run logs how many are parked.
  if (!delivery) {
    const depth = await deps.poison.depth(watched.queue);
    return { ...base, depth, newlyParked: depth, reportedOn: [] };
  }
  // What is still in the poison queue was never reported: each reported message moves to the reported queue.
  const { depth, messages: fresh } = await deps.poison.read(watched.queue, deps.maxPerRun);
  const result = { ...base, depth, newlyParked: fresh.length };
  if (fresh.length === 0) return { ...result, reportedOn: [] };
  const reportedOn =
    watched.role === 'outbox' ? await reviewParkedTickets(fresh, delivery, now) : await reportParked(watched, fresh, depth, delivery, now);
  await deps.poison.markReported(watched.queue, fresh);
  return { ...result, reportedOn };
}

async function reportParked(watched: WatchedQueue, fresh: ParkedMessage[], depth: number, delivery: DeliveryDeps, now: DateTime) {
  const subjects = [...new Set(fresh.map((m) => subjectOf(m.text)))].slice(0, 10);
  const newest = fresh
    .map((m) => m.insertedOn)
    .sort()
    .at(-1)!;
  const report = () =>
    toQueuePoisonedEvent(
      { role: watched.role, queue: watched.poisonQueue, parked: fresh.length, depth, subjects, newest },
      delivery.homeTenantId,
      now,
    );
  return fallBack({ route: delivery.config.defaultRoute, channel: undefined, items: [] }, report, { ...delivery, reportEveryMs: 0 }, now);
}

/** Outbox tickets the host parked: only those whose message is still pending were never reported. */
async function reviewParkedTickets(fresh: ParkedMessage[], delivery: DeliveryDeps, now: DateTime): Promise<string[]> {
  const reportedOn = new Set<string>();
  for (const parked of fresh) {
    const ticket = ticketText.safeParse(parked.text);
    if (!ticket.success && reportedBefore.safeParse(parked.text).success) continue;
    if (!ticket.success) {
      const reported = await reportUnreadable({ reason: 'not an outbox ticket', reportedBefore: false }, delivery, now);
      reported.fellBackTo.forEach((c) => reportedOn.add(c));
      continue;
    }
    const claimed = await delivery.outbox.claim(ticket.data, now.plus(delivery.policy.claimMs), now);
    if (claimed.kind === 'delivered') await bestEffort('remove the outbox message', () => delivery.outbox.remove(ticket.data.id));
    if (claimed.kind === 'unreadable' && !claimed.parked) {
      const { kind: _, parked: __, ...known } = claimed;
      (await reportUnreadable({ ...known, ticket: ticket.data, reportedBefore: false }, delivery, now)).fellBackTo.forEach((c) =>
        reportedOn.add(c),
      );
    }
    if (claimed.kind !== 'claimed') continue;
    const { message, record, claim } = claimed;
    if (record.status === 'pending') {
      const reason = 'the Functions host gave up on it after its retries (host.json maxDequeueCount): storage or Vigil itself failed';
      // Its items reached the default route already when it fell back: then only the parking is news.
      const failed = record.fellBackAt ? { ...message, items: [] } : message;
      (await fallBackFrom(failed, ticket.data, 'gaveUp', reason, delivery, now)).forEach((c) => reportedOn.add(c));
    }
    const parkedRecord =
      record.status === 'parked'
        ? record
        : { status: 'parked' as const, at: toIsoUtc(now), nextAttempt: ticket.data.attempt, reason: 'parked by the Functions host' };
    await delivery.outbox.settle(claim, parkedRecord);
  }
  return [...reportedOn];
}

const subjectSchema = jsonText(
  z.object({ name: z.string().optional(), tenantId: z.string().optional(), rotationId: z.string().optional() }),
);

/** A parked message's subject for a person: a connection's name, a tenant id or a rotation id. */
function subjectOf(text: string): string {
  const body = subjectSchema.safeParse(text);
  return (body.success && (body.data.name ?? body.data.tenantId ?? body.data.rotationId)) || 'an unreadable message';
}
