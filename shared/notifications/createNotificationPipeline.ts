import { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { decideDeliveries, stateKey, type ReminderPolicy } from './decideDeliveries.js';
import { findingOf } from './findingOf.js';
import type { FindingRecord, NotificationState } from './NotificationState.js';
import type { OutboxQueue, OutboxStore } from './OutboxPorts.js';
import { planOutboxMessages } from './planOutboxMessages.js';
import { routeEvents, type RoutedEvent } from './routeEvents.js';
import type { RoutesConfig } from './routesConfig.js';

export interface PipelineDeps {
  /** The audit trail every event goes to first, notified or not. */
  eventLog: EventPublisher;
  /** Undefined when VIGIL_ROUTES is not set: events are only logged. */
  config: RoutesConfig | undefined;
  state: NotificationState;
  outbox: OutboxStore;
  queue: OutboxQueue;
  reminders: ReminderPolicy;
  newId: () => string;
}

/**
 * The `EventPublisher` producers use: log, route, decide, then enqueue. One `publish` call is one run of
 * a producer, so it becomes at most one digest per route and channel. The state is written after the
 * outbox, so a crash in between sends again rather than never (at least once).
 * "Now" is the newest event time of the batch: producers pass their clock through their events.
 */
export function createNotificationPipeline(deps: PipelineDeps): EventPublisher {
  return {
    async publish(events) {
      await deps.eventLog.publish(events);
      const config = deps.config;
      if (!config || events.length === 0) return;
      const routedByRules = routeEvents(events, config);
      // A batch of records (token.refreshed, scan.completed) that no rule names can send nothing: skip the
      // state read, which every healthy refresh would otherwise pay for.
      if (routedByRules.length === 0 && events.every((e) => findingOf(e).role === 'info')) return;
      const now = DateTime.max(...events.map((e) => DateTime.fromISO(e.time, { zone: 'utc' })))!;
      const findingIds = [...new Set(events.map((e) => findingOf(e).id))];
      const { states, snoozes } = await deps.state.load(findingIds);
      const routed = withOpenRoutes(routedByRules, events, states);
      const decisions = decideDeliveries(routed, states, snoozes, now, deps.reminders);
      const messages = planOutboxMessages(decisions.items, config, now, deps.newId);
      await deps.outbox.save(messages);
      await Promise.all(messages.filter((m) => !m.held).map((m) => deps.queue.enqueue({ id: m.id, attempt: 1 })));
      await deps.state.save(decisions.changed);
      await deps.state.recordFindings(events.filter((e) => findingOf(e).role === 'opens').map(toFindingRecord));
    },
  };
}

/** A recovery goes to every route where its finding is open, whatever the rules say about it today. */
function withOpenRoutes(
  routed: RoutedEvent[],
  events: readonly VigilEvent[],
  states: ReadonlyMap<string, { open: boolean }>,
): RoutedEvent[] {
  const result = [...routed];
  for (const event of events) {
    const finding = findingOf(event);
    if (finding.role !== 'closes') continue;
    for (const [key, state] of states) {
      const route = key.slice(finding.id.length + 1);
      if (!state.open || key !== stateKey(finding.id, route)) continue;
      if (!result.some((r) => r.event === event && r.route === route)) result.push({ route, event });
    }
  }
  return result;
}

function toFindingRecord(event: VigilEvent): Omit<FindingRecord, 'snooze'> {
  const finding = findingOf(event);
  return {
    findingId: finding.id,
    key: finding.key,
    type: event.type,
    severity: event.severity,
    tenantId: event.tenantId,
    name: event.subject.displayName,
    ...('endDateTime' in event.data ? { endDateTime: event.data.endDateTime } : {}),
    lastSeen: event.time,
  };
}
