import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideDeliveries, stateKey, type RouteState, type Snooze } from '../../../shared/notifications/decideDeliveries.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { expiring, NOW, rotated, tokenRefreshed } from './notificationFixtures.js';

const policy = { withinDays: 7, every: Duration.fromObject({ hours: 24 }) };
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
const reasons = (d: ReturnType<typeof decide>) => (d.items.get('ops') ?? []).map((i) => i.reason);

/** Runs batches one after another, carrying the state, as successive runs of a producer would. */
function runs(batches: Array<{ events: ReturnType<typeof expiring>[]; now?: typeof NOW; snoozes?: Map<string, Snooze> }>) {
  const states = new Map<string, RouteState>();
  return batches.map(({ events, now = NOW, snoozes = new Map() }) => {
    const d = decide(events, states, snoozes, now);
    for (const [k, v] of d.changed) states.set(k, v);
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

  it('reminds daily once 7 days or fewer remain', () => {
    const at = (hours: number) => NOW.plus({ hours });
    const result = runs([
      { events: [expiring({ daysLeft: 10, threshold: 14 })], now: at(0) },
      { events: [expiring({ daysLeft: 9, threshold: 14 })], now: at(25) }, // 9 days left: no reminder yet
      { events: [expiring({ daysLeft: 6, threshold: 7 })], now: at(96) }, // new threshold
      { events: [expiring({ daysLeft: 6, threshold: 7 })], now: at(110) }, // 14 h later: too soon
      { events: [expiring({ daysLeft: 5, threshold: 7 })], now: at(120) }, // 24 h later: reminder
    ]);
    expect(result.map((r) => r.sent)).toEqual([['new'], [], ['new'], [], ['reminder']]);
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
    expect([...d.changed]).toEqual([
      [
        stateKey(findingOf(event).id, 'ops'),
        { open: true, dedupeKey: event.dedupeKey, severity: 'high', notifiedAt: '2026-11-23T06:00:00.000Z' },
      ],
    ]);
  });

  it('sends records (info) once per dedupe key, never as open', () => {
    const event = tokenRefreshed();
    const result = runs([{ events: [event] }, { events: [event] }]);
    expect(result.map((r) => r.sent)).toEqual([['info'], []]);
  });

  it('sees the effect of earlier events of the same batch', () => {
    expect(reasons(decide([expiring(), rotated()]))).toEqual(['new', 'recovered']);
  });
});
