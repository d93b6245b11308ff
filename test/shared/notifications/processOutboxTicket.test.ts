import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { ChannelOutcome } from '../../../shared/notifications/ChannelOutcome.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { OutboxMessage, OutboxTicket } from '../../../shared/notifications/OutboxMessage.js';
import type { DeliveryLogEntry } from '../../../shared/notifications/OutboxPorts.js';
import { processOutboxTicket, type DeliveryDeps } from '../../../shared/notifications/processOutboxTicket.js';
import { expiring, NOW, routes, TENANT } from './notificationFixtures.js';

/** In-memory ports around one webhook message; the channel answers with the given outcomes in turn. */
function harness(outcomes: ChannelOutcome[]) {
  const event = expiring();
  const message: OutboxMessage = {
    id: 'm-1',
    route: 'creatio',
    channel: { kind: 'webhook', name: 'creatio' },
    createdAt: NOW.toISO()!,
    held: false,
    items: [{ findingId: findingOf(event).id, reason: 'new', event }],
  };
  const stored = new Map([[message.id, message]]);
  const enqueued: Array<{ ticket: OutboxTicket; delayMs: number | undefined }> = [];
  const poisoned: OutboxTicket[] = [];
  const logged: DeliveryLogEntry[] = [];
  const reported: VigilEvent[] = [];
  const disabled = new Map<string, string>();
  const posts: string[] = [];
  const deps: DeliveryDeps = {
    config: routes(),
    channels: {
      mail: undefined,
      teams: { post: async () => ({ kind: 'delivered' }) },
      webhooks: {
        post: async (endpoint, delivery) => (posts.push(`${endpoint.name} ${delivery.id}`), outcomes.shift() ?? { kind: 'delivered' }),
      },
      owners: { mailOwnersOf: async () => [] },
    },
    outbox: {
      save: async () => undefined,
      load: async (id) => stored.get(id),
      remove: async (id) => void stored.delete(id),
      listHeld: async () => [],
    },
    queue: {
      enqueue: async (ticket, delayMs) => void enqueued.push({ ticket, delayMs }),
      poison: async (ticket) => void poisoned.push(ticket),
    },
    log: { record: async (e) => void logged.push(e), list: async () => logged },
    endpoints: { isDisabled: async (label, fp) => disabled.get(label) === fp, disable: async (label, fp) => void disabled.set(label, fp) },
    report: { publish: async (events) => void reported.push(...events) },
    render: { portalBase: 'https://portal.azure.com', timeZone: 'UTC' },
    backoff: { maxAttempts: 3, baseMs: 30_000, capMs: 3_600_000 },
    homeTenantId: TENANT,
    random: () => 1,
  };
  return { deps, stored, enqueued, poisoned, logged, reported, posts };
}

describe('processOutboxTicket', () => {
  it('retries a failure with exponential backoff, then poisons it and reports it once', async () => {
    const h = harness([
      { kind: 'failed', reason: 'HTTP 503', permanent: false },
      { kind: 'failed', reason: 'HTTP 503', permanent: false },
      { kind: 'failed', reason: 'HTTP 503', permanent: false },
    ]);
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toEqual({
      kind: 'retrying',
      detail: 'HTTP 503',
      retryInMs: 30_000,
    });
    expect(await processOutboxTicket({ id: 'm-1', attempt: 2 }, h.deps, NOW)).toEqual({
      kind: 'retrying',
      detail: 'HTTP 503',
      retryInMs: 60_000,
    });
    expect(await processOutboxTicket({ id: 'm-1', attempt: 3 }, h.deps, NOW)).toEqual({
      kind: 'poisoned',
      detail: 'HTTP 503 (after 3 attempt(s))',
    });
    expect(h.enqueued).toEqual([
      { ticket: { id: 'm-1', attempt: 2 }, delayMs: 30_000 },
      { ticket: { id: 'm-1', attempt: 3 }, delayMs: 60_000 },
    ]);
    expect(h.posts).toEqual(['creatio msg_m-1', 'creatio msg_m-1', 'creatio msg_m-1']);
    expect(h.poisoned).toEqual([{ id: 'm-1', attempt: 3 }]);
    expect(h.reported).toEqual([
      expect.objectContaining({
        type: 'delivery.failed',
        severity: 'high',
        dedupeKey: 'delivery.failed|creatio|webhook:creatio|exhausted',
        data: { channel: 'webhook:creatio', route: 'creatio', attempts: 3, reason: 'HTTP 503', disabled: false },
      }),
    ]);
    expect(h.logged.map((e) => e.outcome)).toEqual(['retrying', 'retrying', 'poisoned']);
  });

  it('waits exactly the Retry-After it was given', async () => {
    const h = harness([{ kind: 'retryAfter', ms: 2_128, reason: 'HTTP 429, Retry-After 2.128' }]);
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'retrying', retryInMs: 2_128 });
  });

  it('disables an endpoint that answers 410 Gone and drops what follows for it', async () => {
    const h = harness([{ kind: 'gone', reason: 'HTTP 410 Gone' }]);
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toEqual({
      kind: 'poisoned',
      detail: 'HTTP 410 Gone; endpoint disabled',
    });
    expect(h.reported[0]).toMatchObject({ data: { disabled: true }, dedupeKey: 'delivery.failed|creatio|webhook:creatio|gone' });
    h.stored.set('m-1', (await harness([]).deps.outbox.load('m-1'))!);
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'dropped' });
    expect(h.posts).toHaveLength(1);
  });

  it('does nothing for a ticket whose message was delivered already', async () => {
    const h = harness([]);
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toMatchObject({ kind: 'delivered' });
    expect(await processOutboxTicket({ id: 'm-1', attempt: 1 }, h.deps, NOW)).toEqual({ kind: 'alreadyHandled' });
    expect(h.posts).toHaveLength(1);
  });
});
