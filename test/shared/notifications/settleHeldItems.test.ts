import { describe, expect, it } from 'vitest';
import type { HeldItem } from '../../../shared/notifications/DigestPorts.js';
import { newEvent } from '../../../shared/events/newEvent.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { stateKey, type NotificationState, type RouteState } from '../../../shared/notifications/NotificationState.js';
import { settleHeldItems, settleTakenItems } from '../../../shared/notifications/settleHeldItems.js';
import { channelSubject } from '../../../shared/notifications/toDeliveryFailedEvent.js';
import { openDeliveryFinding } from '../../../shared/notifications/trackDeliveryFinding.js';
import { toIsoUtc } from '../../../shared/helpers/toIsoUtc.js';
import { memoryNotificationState } from './memoryNotificationState.js';
import { expiring, NOW, rotated, TENANT } from './notificationFixtures.js';

const opened = expiring({ now: NOW.minus({ hours: 1 }), severity: 'high' });
const findingId = findingOf(opened).id;
const key = stateKey(findingId, 'ops');
const W1 = 'w-20261123T055500Z';
const W2 = 'w-20261123T060000Z';

/** Every item listed (none missing from the bucket); a committed decision never waits. */
const checks = { present: () => true, waited: () => 'over' as const };

/**
 * One decision of one item on the `ops` route, held in `bucket` and committed by its publisher, which marked it
 * (`committed`): `next` is the state it wrote; `event` its item's, by default the finding's opening or its recovery.
 */
async function decide(
  state: NotificationState,
  bucket: string,
  id: string,
  next: Omit<RouteState, 'items'>,
  event = next.status === 'closed' ? rotated({ now: NOW }) : opened,
): Promise<HeldItem> {
  const finding = findingOf(event).id;
  const ref = `${bucket}/item|ops|${finding}|${id}.0000`;
  const at = (await state.read(stateKey(finding, 'ops')))?.etag;
  const change = { key: stateKey(finding, 'ops'), next: { ...next, items: [ref] } as RouteState, etag: at };
  expect(await state.commit(change)).toBe('committed');
  const reason = next.status === 'closed' ? ('recovered' as const) : ('new' as const);
  const item = { findingId: finding, reason, event, at: next.notifiedAt };
  return { ref, route: 'ops', item, change, committed: true, heldAt: next.notifiedAt };
}
const at = (minutes: number) => toIsoUtc(NOW.plus({ minutes }));
const open = (minutes: number) => ({
  status: 'open' as const,
  dedupeKey: opened.dedupeKey,
  severity: 'high' as const,
  notifiedAt: at(minutes),
  since: at(minutes),
});
const closed = (minutes: number) => ({
  status: 'closed' as const,
  dedupeKey: 'rotated',
  severity: 'info' as const,
  notifiedAt: at(minutes),
});

/**
 * A webhook channel's failure, reported at once on `ops` (its route state written), and the recovery a delivery a
 * minute later publishes.
 */
async function channelFailing(state: NotificationState) {
  const channel = { tenantId: TENANT, subject: channelSubject('cerb', 'webhook:cerb') };
  const failed = newEvent(
    {
      ...channel,
      type: 'delivery.failed',
      severity: 'high',
      summary: 'Vigil could not deliver 1 notification(s) to webhook:cerb on route cerb: HTTP 500.',
      dedupeKey: 'delivery.failed|cerb|webhook:cerb|failing',
      data: { channel: 'webhook:cerb', route: 'cerb', attempts: 6, reason: 'HTTP 500', disabled: false },
    },
    NOW,
  );
  await openDeliveryFinding(state, failed, 'ops', NOW);
  const recovered = newEvent(
    {
      ...channel,
      type: 'delivery.recovered',
      severity: 'info',
      summary: 'Vigil delivers to webhook:cerb on route cerb again.',
      dedupeKey: `delivery.recovered|cerb|webhook:cerb|${toIsoUtc(NOW)}`,
      data: { channel: 'webhook:cerb', route: 'cerb', failedSince: toIsoUtc(NOW) },
    },
    NOW.plus({ minutes: 1 }),
  );
  return { failed, recovered };
}

/** The state, counting the reads a flush makes. */
function counted(state: NotificationState) {
  const counts = { reads: 0 };
  return { counts, state: { ...state, read: async (k: string) => (counts.reads++, state.read(k)) } };
}

describe('a flush settling decisions their publishers committed and marked', () => {
  it('abandons a recovery a newer decision from a later window overtook: its flush, late, would send it after the reopen', async () => {
    const { state } = memoryNotificationState();
    // W1 holds the recovery; W2 the reopen on top of it, whose flush (on time) sent it while W1's ticket was lost.
    const recovery = await decide(state, W1, 'a', closed(0));
    await decide(state, W2, 'b', open(6));

    const { counts, state: reading } = counted(state);
    const settled = await settleHeldItems([recovery], checks, reading);
    expect(settled).toMatchObject({ kept: [], abandoned: [recovery], waiting: 0, partial: 0 });
    expect(counts.reads).toBe(1);
  });

  it('keeps a decision a newer one in its own bucket overtook', async () => {
    const { state } = memoryNotificationState();
    const recovery = await decide(state, W1, 'a', closed(0));
    const reopen = await decide(state, W1, 'b', open(1));

    const settled = await settleHeldItems([recovery, reopen], checks, state);
    expect(settled.kept).toEqual([recovery, reopen]);
    expect(settled.abandoned).toEqual([]);
  });

  it('keeps a decision its route state still names, or whose state is gone', async () => {
    const { state, routes } = memoryNotificationState();
    const first = await decide(state, W1, 'a', open(0));
    expect((await settleHeldItems([first], checks, state)).kept).toEqual([first]);
    // The state is gone (never by Vigil): nothing newer is known.
    routes.delete(key);
    expect((await settleHeldItems([first], checks, state)).kept).toEqual([first]);
  });

  // The report's time is its handler's start: one that started before the recovery's publisher and timed out after
  // it commits a state older by the clock than the recovery's, yet newer, and told already.
  it.each([
    { when: 'after it', reportedAt: NOW.plus({ minutes: 2 }) },
    { when: 'by a handler that started before it', reportedAt: NOW.plus({ seconds: 30 }) },
  ])(
    "abandons a channel's recovery overtaken by the report of its failing again, which went out at once, timed $when",
    async ({ reportedAt }) => {
      const { state } = memoryNotificationState();
      const { failed, recovered } = await channelFailing(state);
      // The channel delivered: its recovery waits in W1's digest. It fails again before W1's flush, reported at once.
      const recovery = await decide(state, W1, 'a', { ...closed(1), dedupeKey: recovered.dedupeKey }, recovered);
      await openDeliveryFinding(state, failed, 'ops', reportedAt);

      expect(await settleHeldItems([recovery], checks, state)).toMatchObject({ kept: [], abandoned: [recovery] });
    },
  );

  // The report's write was tried once: a recovery committed between its read and its write (another message to the
  // channel delivered at that moment) won, the report's state was never written, and the recovery went out after it.
  it("abandons a channel's recovery committed between the report's read and its write: the report writes again", async () => {
    const { state } = memoryNotificationState();
    const { failed, recovered } = await channelFailing(state);
    let recovery: HeldItem | undefined;
    const racing: NotificationState = {
      ...state,
      async read(k) {
        const read = await state.read(k);
        recovery ??= await decide(state, W1, 'a', { ...closed(1), dedupeKey: recovered.dedupeKey }, recovered);
        return read;
      },
    };
    await openDeliveryFinding(racing, failed, 'ops', NOW.plus({ minutes: 2 }));

    expect(await settleHeldItems([recovery!], checks, state)).toMatchObject({ kept: [], abandoned: [recovery] });
  });

  it('reads the state once per decision, whatever its items', async () => {
    const { state } = memoryNotificationState();
    const first = await decide(state, W1, 'a', open(0));
    // Two items of one decision (a run that found the credential twice): one verdict, from one read.
    const second = { ...first, ref: first.ref.replace('.0000', '.0001') };
    const { counts, state: reading } = counted(state);
    expect((await settleHeldItems([first, second], checks, reading)).kept).toHaveLength(2);
    expect(counts.reads).toBe(1);
  });
});

describe("a flush reading a crashed flush's batch again (settleTakenItems)", () => {
  it('judges every taken decision as committed, marked or not: abandoned only when overtaken from another bucket', async () => {
    const { state } = memoryNotificationState();
    // Taken by a flush that committed them itself, so never marked: still judged by the rule for committed decisions.
    const overtaken = { ...(await decide(state, W1, 'a', closed(0))), committed: false };
    await decide(state, W2, 'b', open(6));
    const other = rotated({ now: NOW, app: 'Other app', appObjectId: 'o-other' });
    const recovery = { ...(await decide(state, W1, 'c', closed(0), other)), committed: false };
    const reopen = { ...(await decide(state, W1, 'd', { ...open(1), dedupeKey: other.dedupeKey }, other)), committed: false };

    const { counts, state: reading } = counted(state);
    expect(await settleTakenItems([overtaken, recovery, reopen], reading)).toEqual({ kept: [recovery, reopen], abandoned: [overtaken] });
    expect(counts.reads).toBe(3);
  });
});
