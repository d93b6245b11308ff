import { describe, expect, it } from 'vitest';
import { decideDeliveries } from '../../../shared/notifications/decideDeliveries.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { stateKey, type RouteState, type Snooze } from '../../../shared/notifications/NotificationState.js';
import { expiring, NOW, rotated, signInRefused, tokenFailed, tokenRefreshed } from './notificationFixtures.js';

const policy = { withinDays: 7, maxAfterLapse: 6, thresholdsDays: [60, 30, 14, 7, 3, 1] };
const decide = (
  events: ReturnType<typeof expiring>[],
  states = new Map<string, RouteState>(),
  snoozes = new Map<string, Snooze>(),
  now = NOW,
) =>
  decideDeliveries(
    events.map((event) => ({ route: 'ops', event })),
    states,
    snoozes,
    now,
    policy,
  );
const reasons = (d: ReturnType<typeof decide>) => [...d.decided.values()].flatMap((k) => k.items.map((i) => i.reason));

/** Runs batches one after another, carrying the state, as successive runs of a producer would. */
function runs(batches: Array<{ events: ReturnType<typeof expiring>[]; now?: typeof NOW; snoozes?: Map<string, Snooze> }>) {
  const states = new Map<string, RouteState>();
  return batches.map(({ events, now = NOW, snoozes = new Map() }) => {
    const d = decide(events, states, snoozes, now);
    for (const [k, v] of d.decided) states.set(k, v.next);
    return { sent: reasons(d), skipped: d.skipped.map((s) => s.why) };
  });
}

describe('decideDeliveries', () => {
  it('sends a situation once per route: the same event twice is one delivery', () => {
    const event = expiring({ daysLeft: 10 });
    expect(runs([{ events: [event] }, { events: [event] }, { events: [expiring({ daysLeft: 10 })] }])).toEqual([
      { sent: ['new'], skipped: [] },
      { sent: [], skipped: ['duplicate'] },
      { sent: [], skipped: ['duplicate'] },
    ]);
  });

  it('sends again on escalation to a higher severity, not on the way down', () => {
    expect(
      runs([
        { events: [expiring({ severity: 'medium' })] },
        { events: [expiring({ severity: 'high' })] },
        { events: [expiring({ severity: 'medium' })] },
      ]),
    ).toEqual([
      { sent: ['new'], skipped: [] },
      { sent: ['escalated'], skipped: [] },
      { sent: [], skipped: ['duplicate'] },
    ]);
  });

  it('sends a crossed threshold as new', () => {
    expect(
      runs([{ events: [expiring({ daysLeft: 13, threshold: 14 })] }, { events: [expiring({ daysLeft: 6, threshold: 7 })] }]).map(
        (r) => r.sent,
      ),
    ).toEqual([['new'], ['new']]);
  });

  it('leaves reminders to the reminder walk: a producer repeating an open situation days later is a duplicate', () => {
    const at = (hours: number) => NOW.plus({ hours });
    const result = runs([
      { events: [expiring({ daysLeft: 6, threshold: 7 })], now: at(0) },
      { events: [expiring({ daysLeft: 5, threshold: 7 })], now: at(30) },
      { events: [expiring({ daysLeft: 4, threshold: 7 })], now: at(60) },
    ]);
    expect(result.map((r) => r.sent)).toEqual([['new'], [], []]);
  });

  it('re-announces a situation once when a producer repeats it after its snooze ended, naming what the snooze held back', () => {
    const id = findingOf(expiring()).id;
    const snooze = {
      until: NOW.plus({ days: 5 }).toISO()!,
      reason: 'migrating',
      by: 'ana@contoso.com',
      at: NOW.plus({ hours: 1 }).toISO()!,
    };
    const snoozes = new Map<string, Snooze>();
    const states = new Map<string, RouteState>();
    // The secret ends at NOW + 10 days; each run sees it from its own time.
    const step = (now: typeof NOW, daysLeft: number) => {
      const d = decide([expiring({ daysLeft, threshold: 14, now: NOW.plus({ days: 10 - daysLeft }) })], states, snoozes, now);
      for (const [k, v] of d.decided) states.set(k, v.next);
      return [...d.decided.values()].flatMap((k) => k.items);
    };
    expect(step(NOW, 10).map((i) => i.reason)).toEqual(['new']);
    snoozes.set(id, snooze);
    expect(step(NOW.plus({ days: 2 }), 8)).toEqual([]);
    expect(step(NOW.plus({ days: 5 }), 5)).toEqual([
      expect.objectContaining({
        reason: 'reminder',
        reminder: { kind: 'snoozeEnded', until: snooze.until, missed: [{ kind: 'threshold', days: 7, at: '2026-11-26T06:00:00.000Z' }] },
        // The event read as the reminder is the one published now: 5 days left.
        event: expect.objectContaining({ data: expect.objectContaining({ daysLeft: 5 }) }),
      }),
    ]);
    expect(step(NOW.plus({ days: 5, hours: 2 }), 5)).toEqual([]);
  });

  it('holds a snoozed finding back until the snooze ends', () => {
    const id = findingOf(expiring()).id;
    const snoozes = new Map([
      [id, { until: NOW.plus({ days: 3 }).toISO()!, reason: 'decommissioning', by: 'ana@contoso.com', at: NOW.toISO()! }],
    ]);
    expect(
      runs([
        { events: [expiring()], snoozes },
        { events: [expiring()], snoozes, now: NOW.plus({ days: 2 }) },
        { events: [expiring()], snoozes, now: NOW.plus({ days: 3 }) },
      ]),
    ).toEqual([
      { sent: [], skipped: ['snoozed'] },
      { sent: [], skipped: ['snoozed'] },
      { sent: ['new'], skipped: [] },
    ]);
  });

  it('sends one recovery notice, only where the finding was opened', () => {
    expect(runs([{ events: [rotated()] }]).map((r) => r.skipped)).toEqual([['nothingOpen']]);
    expect(runs([{ events: [expiring()] }, { events: [rotated()] }, { events: [rotated()] }])).toEqual([
      { sent: ['new'], skipped: [] },
      { sent: ['recovered'], skipped: [] },
      { sent: [], skipped: ['nothingOpen'] },
    ]);
  });

  it('sends the same problem again after its recovery', () => {
    expect(runs([{ events: [expiring()] }, { events: [rotated()] }, { events: [expiring()] }]).map((r) => r.sent)).toEqual([
      ['new'],
      ['recovered'],
      ['new'],
    ]);
  });

  it('records the state it leaves, with exact values', () => {
    const event = expiring({ daysLeft: 10, threshold: 14, severity: 'high' });
    const d = decide([event]);
    expect([...d.decided].map(([k, v]) => [k, v.next])).toEqual([
      [
        stateKey(findingOf(event).id, 'ops'),
        {
          status: 'open',
          dedupeKey: event.dedupeKey,
          severity: 'high',
          notifiedAt: '2026-11-23T06:00:00.000Z',
          since: '2026-11-23T06:00:00.000Z',
          items: [],
        },
      ],
    ]);
  });

  it('sends records (info) once per dedupe key, never as open', () => {
    const event = tokenRefreshed();
    const result = runs([{ events: [event] }, { events: [event] }]);
    expect(result.map((r) => r.sent)).toEqual([['info'], []]);
  });

  it('sends a notice (a refused sign-in) once per dedupe key and leaves nothing open to remind of', () => {
    const refused = signInRefused();
    const result = runs([
      { events: [refused] },
      { events: [refused] },
      { events: [signInRefused('cerb-helpdesk-mailbox', 'eve@contoso.com')] },
    ]);
    expect(result.map((r) => r.sent)).toEqual([['new'], [], ['new']]);
    expect([...decide([refused]).decided.values()].map((d) => d.next.status)).toEqual(['closed']);
  });

  it('keeps a refused sign-in apart from the connection’s open alert: neither replaces nor closes it', () => {
    const failed = tokenFailed();
    const d = decide([failed, signInRefused()]);
    expect(reasons(d)).toEqual(['new', 'new']);
    expect(d.decided.get(stateKey(findingOf(failed).id, 'ops'))?.next).toMatchObject({ status: 'open', dedupeKey: failed.dedupeKey });
  });

  it('sees the effect of earlier events of the same batch', () => {
    expect(reasons(decide([expiring(), rotated()]))).toEqual(['new', 'recovered']);
  });
});
