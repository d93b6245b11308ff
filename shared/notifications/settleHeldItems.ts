import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import { commitChange, namesChange } from './commitDecisions.js';
import type { HeldItem } from './DigestPorts.js';
import { bucketOfRef } from './digestBuckets.js';
import type { NotificationState, RouteState, StateChange, Stored } from './NotificationState.js';

const parallelChecks = 16;

/** The held items of one decision (one state change), as a flush found them in its bucket. */
export interface HeldDecision {
  change: StateChange;
  items: HeldItem[];
}

export interface SettleChecks {
  /** Whether a ref is in the bucket (or in another, that bucket's flush's to find). */
  present: (ref: string) => boolean;
  /**
   * Whether a decision held only in part has waited its day for its publisher (partWaitEnd): `unreadable`
   * when the time it was held cannot be read, which counts as over (a part is never left for ever) and is said.
   */
  waited: (decision: HeldDecision) => 'waiting' | 'over' | 'unreadable';
}

/**
 * Committed decisions are kept unless overtaken from another bucket or by a channel's failure report (sent at once);
 * the others are committed now if their state
 * is as their publisher read it.
 * A hold goes over several transactions, so a publisher may have stopped with only part of a decision
 * held: committing that part would send it alone, and the publisher's retry would find the decision made
 * and send nothing of the rest. Such a part is left in the bucket: kept once its publisher commits it,
 * abandoned once the state moves on (the retry decided again, under other refs), and committed and sent
 * as it is, with a warning, once it has waited a day (a publisher that never retries). One verdict per
 * decision, from one read of its state: a publisher committing between two reads would split it. A committed
 * decision overtaken since from another bucket is abandoned, whether or not its publisher marked it.
 */
export async function settleHeldItems(
  items: readonly HeldItem[],
  checks: SettleChecks,
  state: NotificationState,
): Promise<{ kept: HeldItem[]; abandoned: HeldItem[]; waiting: number; partial: number; undated: number }> {
  const having = await verdictsOf(items, (decision) => verdictOf(decision, checks, state));
  // Marked for every renderer: the decision's later items, the finding's current state among them, are missing.
  const undated = having('undated');
  const partial = [...having('partial'), ...undated].map((held) => ({ ...held, item: { ...held.item, heldInPart: true as const } }));
  return {
    kept: [...having('keep'), ...partial],
    abandoned: having('abandon'),
    waiting: having('leave').length,
    partial: partial.length,
    undated: undated.length,
  };
}

/**
 * The items of a batch a crashed flush took (step `assigned`: no message of it enqueued yet), read against their
 * route states again: every one was committed when taken, so each decision is kept or abandoned by the rule for
 * committed ones (overtakenElsewhere). A newer decision from another bucket, or a channel's failure report, may
 * have overtaken one while the batch waited for the next flush (after the lease of 5 minutes, or the sweep).
 */
export async function settleTakenItems(
  items: readonly HeldItem[],
  state: NotificationState,
): Promise<{ kept: HeldItem[]; abandoned: HeldItem[] }> {
  const having = await verdictsOf(items, (decision) => committedVerdict(decision.change, state));
  return { kept: having('keep'), abandoned: having('abandon') };
}

/** One verdict per decision (one read of its state each, 16 at a time): the items of the decisions given a verdict. */
async function verdictsOf(
  items: readonly HeldItem[],
  verdictOfDecision: (decision: HeldDecision) => Promise<Verdict>,
): Promise<(verdict: Verdict) => HeldItem[]> {
  const limit = createConcurrencyLimit(parallelChecks);
  const checked = await Promise.all(
    decisionsOf(items).map((decision) => limit(async () => ({ decision, verdict: await verdictOfDecision(decision) }))),
  );
  return (verdict) => checked.filter((c) => c.verdict === verdict).flatMap((c) => c.decision.items);
}

/** `undated`: a part sent as `partial` is, but without waiting, since the time it was held could not be read. */
type Verdict = 'keep' | 'abandon' | 'leave' | 'partial' | 'undated';

/** A decision's items share one change, whose refs (`…|<decision id>.<n>`) name the decision. */
function decisionsOf(items: readonly HeldItem[]): HeldDecision[] {
  const byDecision = new Map<string, HeldDecision>();
  for (const item of items) {
    const id = `${item.change.key}|${item.change.next.items[0] ?? item.ref}`;
    const decision = byDecision.get(id) ?? { change: item.change, items: [] };
    decision.items.push(item);
    byDecision.set(id, decision);
  }
  return [...byDecision.values()];
}

async function verdictOf(decision: HeldDecision, checks: SettleChecks, state: NotificationState): Promise<Verdict> {
  const { change } = decision;
  // Marked only once the publisher's write succeeded: the whole decision is committed. Its state is read all the same,
  // as for the others: a newer decision from a later window may have gone out while this bucket's flush ran late (its
  // ticket lost, then the sweep), and this one, sent now, would undo it (a stale "Resolved" after a reopen resolves the
  // open PagerDuty alert). It costs a point read per decision held (a finding on two routes: two), 16 at a time,
  // before the flush saves its messages.
  if (decision.items.some((i) => i.committed)) return committedVerdict(change, state);
  const whole = change.next.items.every(checks.present);
  if (whole && (await state.commit(change)) === 'committed') return 'keep';
  const current = await state.read(change.key);
  const waited = checks.waited(decision);
  if (namesChange(current, change)) {
    if (overtakenElsewhere(current, change)) return 'abandon';
    if (whole) return 'keep';
    // Committed with items missing from the listing. Within its wait only its publisher can have committed it (a
    // flush commits a part only once the wait is over), and the rest was held after this flush listed the bucket:
    // left for the next flush, which finds it whole. Past its wait, a flush committed it as a part and stopped
    // before taking the part into a batch (commitDecisions commits only after its hold wrote every item, and
    // throws on a failed one): still a part.
    return waited === 'waiting' ? 'leave' : 'partial';
  }
  if (whole || current?.etag !== change.etag) return 'abandon';
  if (waited === 'waiting') return 'leave';
  return (await commitChange(state, change)) === 'committed' ? (waited === 'over' ? 'partial' : 'undated') : 'abandon';
}

/** A committed decision is kept unless overtaken from another bucket or by a channel's failure report. */
async function committedVerdict(change: StateChange, state: NotificationState): Promise<'keep' | 'abandon'> {
  return overtakenElsewhere(await state.read(change.key), change) ? 'abandon' : 'keep';
}

/**
 * Overtaken by a decision held in another bucket: that one may have gone out already, and this one, sent now,
 * would tell the route an older state after it (a stale "Resolved" after a reopen). The route heard, or hears with
 * that bucket, the newer state: this one is abandoned. A newer decision in the same bucket goes out in the same
 * flush, after this one (messagesOfBatch orders by time, and at one time by which was made on top), so this one is
 * kept. A known limit: one made on top with an earlier event time (a producer whose clock lags) goes out first.
 * A state that names no decision (`items` empty), once this decision's commit named it, can only be a channel's
 * failure report (openDeliveryFinding; rows from before states named their items predate digests), which went out
 * at once, outside every bucket: this one is abandoned, whatever the report's time (its handler's start, which may
 * be earlier than this decision's).
 */
function overtakenElsewhere(current: Stored<RouteState> | undefined, change: StateChange): boolean {
  const mine = change.next.items[0]!;
  if (current === undefined || current.value.items.includes(mine)) return false;
  const [newer] = current.value.items;
  if (newer === undefined) return true;
  return bucketOfRef(newer) !== bucketOfRef(mine);
}

/** When a decision's part was held, by the clock: the latest of its items' times (a hold takes several transactions). */
export function heldAtOf(decision: HeldDecision): string {
  return decision.items.reduce((latest, { heldAt }) => (heldAt > latest ? heldAt : latest), '');
}
