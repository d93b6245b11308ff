import { describe, expect, it } from 'vitest';
import { deliveryOf, splitListenerWall, type HandledMessage } from '../../bench/splitListenerWall.js';

/** The first deliveries of messages m<from> to m<to - 1>. */
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => deliveryOf(`m${from + i}`, 1));

describe("the many-tenants bench's split of its wall", () => {
  // 20 messages of 100 ms each. The planner takes 50 ms; the first batch of 16 arrives at once and is
  // deleted as it ends; the second (4) is asked for as the first ends, its receive takes 10 ms, its
  // last handler starts 5 ms late and each of its deletes takes 10 ms. The wall ends with the last delete.
  const handled = new Map<string, HandledMessage>([
    ...ids(0, 16).map((id) => [id, { start: 50, end: 150, deleted: 150 }] as const),
    ...ids(16, 19).map((id) => [id, { start: 160, end: 260, deleted: 270 }] as const),
    [deliveryOf('m19', 1), { start: 165, end: 265, deleted: 275 }],
  ]);
  const batches = [
    { requested: 50, settled: 50, deliveries: ids(0, 16) },
    { requested: 150, settled: 160, deliveries: ids(16, 20) },
    { requested: 275, settled: 276, deliveries: [] },
  ];

  // The listener's part is the rest of the wall, so the four parts add up to it by construction: not asserted.
  it('puts each part where it went', () => {
    const split = splitListenerWall(0, 276, batches, handled);
    // The handlers alone: two batches of 100 ms, the second admitted as the first ends.
    expect(split.handlersMs).toBe(200);
    expect(split.evenHandlersMs).toBe(200);
    expect(split.plannerMs).toBe(50);
    // From each receive to each delete: the first batch 100 ms, the second at most 115 ms (its late start and its delete).
    expect(split.messagesMs).toBe(15);
    // The second batch's receive round trip (10 ms) and the last, empty one.
    expect(split.listenerMs).toBe(11);
    // The last of each batch of two or more: m15 at once, m19 5 ms late.
    expect(split).toMatchObject({
      messages: 20,
      batches: 2,
      receives: 3,
      meanHandlerMs: 100,
      lastStartDelayMs: 2.5,
      meanDeleteMs: 2,
      rejectedDeletes: 0,
    });
    // Every receive's round trip, the empty last one too: (0 + 10 + 1) ÷ 3.
    expect(split.meanReceiveMs).toBeCloseTo(11 / 3, 10);
    expect(split.meanStartDelayMs).toBe(0.25);
  });

  it('tells what the spread of the handler durations costs apart from their mean', () => {
    // The first batch: 7 of 10 ms and 9 of 190 ms; the next batch waits for its 8th end, at 190 ms, and takes 100 ms.
    const spread = new Map<string, HandledMessage>([
      ...ids(0, 7).map((id) => [id, { start: 0, end: 10, deleted: 10 }] as const),
      ...ids(7, 16).map((id) => [id, { start: 0, end: 190, deleted: 190 }] as const),
      ...ids(16, 32).map((id) => [id, { start: 190, end: 290, deleted: 290 }] as const),
    ]);
    const received = [
      { requested: 0, settled: 0, deliveries: ids(0, 16) },
      { requested: 190, settled: 190, deliveries: ids(16, 32) },
    ];
    const split = splitListenerWall(0, 290, received, spread);
    expect(split.handlersMs).toBe(290);
    // Two batches of the mean, (7 × 10 + 9 × 190 + 16 × 100) ÷ 32 = 105.625 ms: the other 78.75 ms is their spread.
    expect(split.meanHandlerMs).toBe(105.625);
    expect(split.evenHandlersMs).toBe(211.25);
  });

  it('times a redelivered message as two deliveries, its failed attempt kept apart from its retry', () => {
    // a ends at 10 ms; b fails at 30 ms and is back in the queue at 31 ms, received again at once, handled in 5 ms.
    const redelivered = new Map<string, HandledMessage>([
      [deliveryOf('a', 1), { start: 0, end: 10, deleted: 10 }],
      [deliveryOf('b', 1), { start: 0, end: 30, deleted: 31 }],
      [deliveryOf('b', 2), { start: 31, end: 36, deleted: 37 }],
    ]);
    const received = [
      { requested: 0, settled: 0, deliveries: [deliveryOf('a', 1), deliveryOf('b', 1)] },
      { requested: 31, settled: 31, deliveries: [deliveryOf('b', 2)] },
      { requested: 37, settled: 38, deliveries: [] },
    ];
    const split = splitListenerWall(0, 38, received, redelivered);
    // The failed attempt's 30 ms counts, the retry's 5 ms once, and the retry's start is timed from its own batch.
    expect(split).toMatchObject({ messages: 3, meanHandlerMs: 15, meanStartDelayMs: 0, handlersMs: 30 });
    expect(split.listenerMs).toBe(7);
  });

  it('counts the deliveries whose delete rejected, their delete timed at what settled after it', () => {
    // b's delete rejected (its pop receipt stale) and nothing settled after it: its delete counts 0 ms.
    const stale = new Map<string, HandledMessage>([
      [deliveryOf('a', 1), { start: 0, end: 10, deleted: 14 }],
      [deliveryOf('b', 1), { start: 0, end: 20, deleted: 20, rejected: true }],
    ]);
    const split = splitListenerWall(0, 21, [{ requested: 0, settled: 0, deliveries: [deliveryOf('a', 1), deliveryOf('b', 1)] }], stale);
    expect(split).toMatchObject({ rejectedDeletes: 1, meanDeleteMs: 2 });
  });

  it('refuses a message received but never handled rather than leave it out of the handlers', () => {
    expect(() => splitListenerWall(0, 276, [{ requested: 0, settled: 0, deliveries: ['lost'] }], handled)).toThrow(/lost/);
  });
});
