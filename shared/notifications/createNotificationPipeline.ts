import { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { commitDecisions, decidedOn, type CommitDeps, type Decided } from './commitDecisions.js';
import { decideDeliveries } from './decideDeliveries.js';
import { findingOf } from './findingOf.js';
import { stateKey, type FindingRecord, type RouteState, type Stored } from './NotificationState.js';
import { toFindingRecord } from './toFindingRecord.js';
import type { ReminderPolicy } from './reminderPolicy.js';
import { routeEvents, type RoutedEvent } from './routeEvents.js';
import type { RoutesConfig } from './routesConfig.js';

export interface PipelineDeps extends Omit<CommitDeps, 'config'> {
  /** The audit trail every event goes to first, notified or not. */
  eventLog: EventPublisher;
  /** Undefined when VIGIL_ROUTES is not set: events are only logged. */
  config: RoutesConfig | undefined;
  reminders: ReminderPolicy;
}

/** Rounds of re-reading and re-deciding when other publishers keep writing the same states first. */
const maxRounds = 5;

/**
 * The `EventPublisher` producers use: log, route, decide, then commit the decisions into digest buckets
 * (`commitDecisions`). What one route must hear within a window goes out as one digest, whichever
 * producers and instances published it. Two publishers deciding on the same finding and route at once
 * cannot both send: the second one's conditional write fails, and it decides again on what the first wrote.
 * "Now" is the newest event time of the batch: producers pass their clock through their events.
 */
export function createNotificationPipeline(deps: PipelineDeps): EventPublisher {
  return {
    async publish(events) {
      const config = deps.config;
      const routedByRules = config ? routeEvents(events, config) : [];
      // A batch of records (token.refreshed, scan.completed) that no rule names can send nothing: skip the
      // state read, which every healthy refresh would otherwise pay for.
      const silent = !config || events.length === 0 || (routedByRules.length === 0 && events.every((e) => findingOf(e).role === 'info'));
      const findingIds = [...new Set(events.map((e) => findingOf(e).id))];
      // The audit trail, the newest record of each finding (reminders and the snooze API read it) and the
      // states to decide on, at once: nothing is decided unless all three succeed.
      const [, , loaded] = await Promise.all([
        deps.eventLog.publish(events),
        silent ? undefined : deps.state.recordFindings(latestOpening(events).map(toFindingRecord)),
        silent ? undefined : deps.state.load(findingIds),
      ]);
      if (!config || !loaded) return;
      const now = DateTime.max(...events.map((e) => DateTime.fromISO(e.time, { zone: 'utc' })))!;
      let { routes, findings } = loaded;
      let pending = withOpenRoutes(routedByRules, events, routes);
      for (let round = 0; round < maxRounds; round++) {
        const decisions = decideDeliveries(pending, valuesOf(routes), snoozesOf(findings), now, deps.reminders);
        const decided: Decided[] = [...decisions.decided.values()].map((d) => ({ ...d, ...decidedOn(routes.get(d.key)) }));
        const { lost } = await commitDecisions(decided, { ...deps, config });
        if (lost.length === 0) return;
        const again = new Set(lost);
        pending = pending.filter((r) => again.has(stateKey(findingOf(r.event).id, r.route)));
        ({ routes, findings } = await deps.state.load([...new Set(pending.map((r) => findingOf(r.event).id))]));
      }
      throw new Error(`notification state of ${pending.length} finding route(s) kept changing during this publish; retry it`);
    },
  };
}

const valuesOf = (routes: ReadonlyMap<string, Stored<RouteState>>) => new Map([...routes].map(([k, v]) => [k, v.value]));
const snoozesOf = (findings: ReadonlyMap<string, FindingRecord>) =>
  new Map([...findings].flatMap(([id, f]) => (f.snooze ? [[id, f.snooze] as const] : [])));

/** A recovery goes to every route where its finding is open, whatever the rules say about it today. */
function withOpenRoutes(
  routed: RoutedEvent[],
  events: readonly VigilEvent[],
  states: ReadonlyMap<string, Stored<RouteState>>,
): RoutedEvent[] {
  const result = [...routed];
  for (const event of events) {
    const finding = findingOf(event);
    if (finding.role !== 'closes') continue;
    for (const [key, state] of states) {
      const route = key.slice(finding.id.length + 1);
      if (state.value.status !== 'open' || key !== stateKey(finding.id, route)) continue;
      if (!result.some((r) => r.event === event && r.route === route)) result.push({ route, event });
    }
  }
  return result;
}

/** Per finding, the newest opening event (or notice, which a person may snooze too) of the batch. */
function latestOpening(events: readonly VigilEvent[]): VigilEvent[] {
  const newest = new Map<string, VigilEvent>();
  for (const event of events) {
    const role = findingOf(event).role;
    if (role !== 'opens' && role !== 'notice') continue;
    const id = findingOf(event).id;
    const seen = newest.get(id);
    if (!seen || seen.time <= event.time) newest.set(id, event);
  }
  return [...newest.values()];
}
