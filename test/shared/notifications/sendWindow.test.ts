import { describe, expect, it } from 'vitest';
import { decideSend, type SendSlot } from '../../../shared/notifications/sendWindow.js';

const limit = { max: 30, windowMs: 60_000, lateMs: 2_000, maxReserved: 240 };
const T0 = Date.parse('2026-12-05T09:00:00Z');
const sends = (count: number, from = T0, everyMs = 100): SendSlot[] =>
  Array.from({ length: count }, (_, i) => ({ id: `sent-${i}`, at: from + i * everyMs }));

/** The most sends starting in any window of `windowMs`. */
const fullest = (slots: readonly SendSlot[], windowMs = limit.windowMs) =>
  Math.max(0, ...slots.map((s) => slots.filter((t) => t.at >= s.at && t.at < s.at + windowMs).length));

describe('decideSend', () => {
  it('lets a send go while fewer than the limit started within the window, and records it at now', () => {
    const decision = decideSend(sends(29), 'm', T0 + 5_000, limit);
    expect(decision).toEqual({ kind: 'send', slots: [...sends(29), { id: 'm', at: T0 + 5_000 }] });
  });

  it('makes the 31st wait until the first leaves the window, and keeps that slot for it', () => {
    const decision = decideSend(sends(30), 'm', T0 + 5_000, limit);
    expect(decision).toEqual({ kind: 'wait', at: T0 + 60_000, slots: [...sends(30), { id: 'm', at: T0 + 60_000, reserved: true }] });
  });

  it('gives waiting messages the next slots in turn, so they come back one by one and never crowd a window', () => {
    let slots = sends(30);
    const waits: number[] = [];
    for (let i = 0; i < 45; i++) {
      const decision = decideSend(slots, `w-${i}`, T0 + 3_000, limit);
      if (decision.kind !== 'wait') throw new Error('expected to wait');
      waits.push(decision.at - T0);
      slots = decision.slots;
    }
    expect(waits.slice(0, 3)).toEqual([60_000, 60_100, 60_200]);
    expect(waits.slice(29, 31)).toEqual([62_900, 120_000]);
    expect(fullest(slots)).toBe(30);
  });

  it('drops sends that left the window', () => {
    const decision = decideSend(sends(30), 'm', T0 + 63_000, limit);
    expect(decision).toEqual({ kind: 'send', slots: [{ id: 'm', at: T0 + 63_000 }] });
  });

  it('sends a message back on time on its kept slot, recorded at the slot, as the slots after it were planned', () => {
    const reserved = decideSend(sends(30), 'm', T0 + 5_000, limit);
    for (const back of [T0 + 60_000, T0 + 61_400, T0 + 62_000]) {
      const decision = decideSend(reserved.slots, 'm', back, limit);
      expect(decision.kind).toBe('send');
      expect(decision.slots.filter((s) => s.id === 'm')).toEqual([{ id: 'm', at: T0 + 60_000 }]);
    }
  });

  it('sends a wave of messages back a little late on their slots, even with the next wave planned right after them', () => {
    let slots = sends(30);
    for (let i = 0; i < 60; i++) slots = decideSend(slots, `w-${i}`, T0 + 3_000, limit).slots;
    // Each of the first wave is back 900 ms after its slot (a whole-second visibility delay).
    for (let i = 0; i < 30; i++) {
      const slot = slots.find((s) => s.id === `w-${i}`)!;
      const back = decideSend(slots, `w-${i}`, slot.at + 900, limit);
      expect(back).toMatchObject({ kind: 'send' });
      slots = back.slots;
    }
    expect(fullest(slots)).toBe(30);
  });

  it('checks a message that comes back late against what was sent since, never sends on an old slot', () => {
    // Reserved for 60.0 s but back at 75 s, too late for its slot, after 30 others were sent from 62 s: it waits for the next free slot.
    const reserved = decideSend(sends(30), 'late', T0 + 5_000, limit);
    const others = sends(30, T0 + 62_000, 100).map((s) => ({ ...s, id: `other-${s.id}` }));
    const back = decideSend([...reserved.slots, ...others], 'late', T0 + 75_000, limit);
    expect(back).toMatchObject({ kind: 'wait', at: T0 + 122_000 });
    expect(back.slots.filter((s) => s.id === 'late')).toEqual([{ id: 'late', at: T0 + 122_000, reserved: true }]);
  });

  it('never lets a newcomer take a slot kept for a message that waits', () => {
    // 30 sent, one waits for 60 s; at 60.05 s a newcomer finds the slot that freed at 60 s kept.
    const waiting = decideSend(sends(30), 'first', T0 + 1_000, limit).slots;
    expect(decideSend(waiting, 'newcomer', T0 + 60_050, limit)).toMatchObject({ kind: 'wait', at: T0 + 60_100 });
  });

  it("counts a retried message's earlier send: it reached Exchange even if the answer did not come back", () => {
    const slots = [...sends(29), { id: 'm', at: T0 + 2_950 }];
    expect(decideSend(slots, 'm', T0 + 10_000, limit)).toMatchObject({ kind: 'wait', at: T0 + 60_000 });
  });

  it('keeps at most maxReserved waiting slots: past that a message is told when to come back, without a slot', () => {
    let slots = sends(30);
    for (let i = 0; i < 3; i++) slots = decideSend(slots, `w-${i}`, T0 + 1_000, { ...limit, maxReserved: 2 }).slots;
    expect(slots.filter((s) => s.reserved).map((s) => s.id)).toEqual(['w-0', 'w-1']);
    expect(decideSend(slots, 'w-2', T0 + 1_000, { ...limit, maxReserved: 2 })).toMatchObject({ kind: 'wait', at: T0 + 60_200 });
  });

  it('never lets 60 s hold more than the limit at the service, whatever the order of arrivals and late returns', () => {
    // The window is the service's 60 s plus more than lateMs: a late send on its slot cannot crowd 60 s.
    const wide = { ...limit, windowMs: 62_500 };
    let slots: SendSlot[] = [];
    const sent: number[] = [];
    let now = T0;
    const queue: Array<{ id: string; at: number }> = Array.from({ length: 200 }, (_, i) => ({ id: `m-${i}`, at: T0 + (i % 7) * 900 }));
    while (queue.length > 0) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue.shift()!;
      now = Math.max(now, next.at);
      const decision = decideSend(slots, next.id, now, wide);
      slots = decision.slots;
      if (decision.kind === 'send') sent.push(now);
      // Some come back late, as a queue listener polls.
      else queue.push({ id: next.id, at: decision.at + (next.id.endsWith('3') ? 1_700 : next.id.endsWith('7') ? 9_000 : 0) });
    }
    expect(sent).toHaveLength(200);
    const most = Math.max(...sent.map((t) => sent.filter((u) => u >= t && u < t + 60_000).length));
    expect(most).toBe(30);
  });
});
