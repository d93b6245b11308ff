import type { DateTime } from 'luxon';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import type { KeyDecision } from './decideDeliveries.js';
import { dailyBucket, windowBucket } from './digestBuckets.js';
import type { DigestStore, DigestTickets, HeldItem } from './DigestPorts.js';
import type { NotificationState, RouteState, StateChange, Stored } from './NotificationState.js';
import type { RoutesConfig } from './routesConfig.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface CommitDeps {
  config: RoutesConfig;
  state: NotificationState;
  digests: DigestStore;
  tickets: DigestTickets;
  /** VIGIL_DIGEST_WINDOW_SECONDS: what one route hears within a window goes out as one digest. */
  windowSeconds: number;
  /** The real clock, for windows: a queue's visibility delay runs on it, whatever time the decisions were made at. */
  clock: () => DateTime;
  newId: () => string;
  /** Window buckets this instance saw ticketed: spares a storage read per publish while their window lasts. */
  ticketed: Set<string>;
}

/** A decision and the ETag of the route state it was made on (undefined: the route had none). */
export interface Decided extends KeyDecision {
  etag: string | undefined;
  /** The first item of the decision that state names, if any: recorded in the next state as `overtook`. */
  overtakes?: string;
}

/**
 * What a decision made on a route state commits against: its ETag, and the first item of the decision that state
 * names, recorded as `overtook` (namesChange). Every producer of decisions takes both from here.
 */
export function decidedOn(stored: Stored<RouteState> | undefined): Pick<Decided, 'etag' | 'overtakes'> {
  const overtakes = stored?.value.items[0];
  return { etag: stored?.etag, ...(overtakes === undefined ? {} : { overtakes }) };
}

const parallelWrites = 16;
/** A flush cannot start before its window ends: a bucket this far from its end needs no second look. */
const lateMarginMs = 5_000;

/**
 * Makes decisions happen exactly once, across instances:
 * 1. the items go into their digest bucket (the window's, or the daily one), each naming the state change
 *    that commits it, and the bucket gets its flush ticket;
 * 2. each route state is written only if nobody wrote it since it was read (its ETag);
 * 3. a bucket whose flush already started gets another ticket, for the items it did not see.
 * A decision whose state another writer changed first is returned in `lost`: its items are never sent,
 * and the caller re-reads and decides again. A crash between 1 and 2 loses nothing: the flush commits
 * the change itself (or finds it lost) and sends accordingly.
 */
export async function commitDecisions(decided: readonly Decided[], deps: CommitDeps): Promise<{ committed: string[]; lost: string[] }> {
  const clockNow = deps.clock();
  const window = windowBucket(clockNow, deps.windowSeconds, deps.newId());
  const heldAt = toIsoUtc(clockNow);
  const held = new Map<string, HeldItem[]>();
  const changes: Array<{ change: StateChange; bucket: string; refs: string[] }> = [];
  for (const d of decided) {
    const route = deps.config.routes[d.route];
    if (!route) continue;
    const bucket = route.schedule === 'daily' ? dailyBucket : window.id;
    // Numbered in the decision's order: a digest shows a finding's last item as its current state, and the
    // items of one decision share their time, so their refs' order is the only one they have (messagesOfBatch).
    const id = deps.newId();
    const refs = d.items.map((_, i) => `${bucket}/item|${d.route}|${d.findingId}|${id}.${String(i).padStart(4, '0')}`);
    const next = { ...d.next, items: refs, ...(d.overtakes === undefined ? {} : { overtook: d.overtakes }) };
    const change: StateChange = { key: d.key, next, etag: d.etag };
    const items = d.items.map((item, i) => ({ ref: refs[i]!, route: d.route, item, change, committed: false, heldAt }));
    // Appended in place: copying the bucket's list for every decision made a publish of n decisions cost n².
    const list = held.get(bucket);
    if (list) list.push(...items);
    else held.set(bucket, items);
    changes.push({ change, bucket, refs });
  }
  if (changes.length === 0) return { committed: [], lost: [] };
  // Every item is held before any change is committed, and a failed hold throws: a committed decision with items
  // missing from its bucket can only be a part a flush committed (settleHeldItems relies on it).
  for (const [bucket, items] of held) await deps.digests.hold(bucket, items);
  const windowHeld = held.has(window.id);
  // A run's own bucket (no window) is ticketed at once and nobody else adds to it; a shared window once.
  const perRun = deps.windowSeconds <= 0;
  if (windowHeld && perRun) await deps.tickets.flushLater(window.id, 0);
  if (windowHeld && !perRun && !deps.ticketed.has(window.id)) {
    if ((await deps.digests.status(window.id)) === 'none') {
      await deps.tickets.flushLater(window.id, Math.max(0, window.endsAt.toMillis() - deps.clock().toMillis()));
      await deps.digests.noteTicket(window.id);
    }
    remember(deps.ticketed, window.id);
  }
  const limit = createConcurrencyLimit(parallelWrites);
  const outcomes = await Promise.all(changes.map((c) => limit(async () => ({ ...c, outcome: await commitChange(deps.state, c.change) }))));
  const committed = outcomes.filter((o) => o.outcome === 'committed');
  for (const bucket of held.keys())
    await deps.digests.markCommitted(
      bucket,
      committed.filter((c) => c.bucket === bucket).flatMap((c) => c.refs),
    );
  // Held after its flush started (a slow publish at the end of a window): that flush missed these items.
  const late = !perRun && deps.clock().toMillis() >= window.endsAt.toMillis() - lateMarginMs;
  if (windowHeld && late && (await deps.digests.status(window.id)) !== 'waiting') await deps.tickets.flushLater(window.id, 0);
  return { committed: committed.map((c) => c.change.key), lost: outcomes.filter((o) => o.outcome === 'lost').map((o) => o.change.key) };
}

/**
 * One conditional write of a route state. A conflict is still a success when the state now names this
 * change's items: whoever wrote first (a flush finishing a stalled publish) wrote exactly this change.
 */
export async function commitChange(state: NotificationState, change: StateChange): Promise<'committed' | 'lost'> {
  if ((await state.commit(change)) === 'committed') return 'committed';
  return namesChange(await state.read(change.key), change) ? 'committed' : 'lost';
}

/**
 * Whether a route state shows this change committed: it names the change's items, or it is the decision made
 * right on top of it (`overtook`), which was read from this change once committed.
 */
export function namesChange(current: Stored<RouteState> | undefined, change: StateChange): boolean {
  const mine = change.next.items[0];
  return mine !== undefined && current !== undefined && (current.value.items.includes(mine) || current.value.overtook === mine);
}

/** Keeps the last few hundred buckets: windows only move forward. */
function remember(ticketed: Set<string>, bucket: string): void {
  if (ticketed.size >= 500) ticketed.clear();
  ticketed.add(bucket);
}
