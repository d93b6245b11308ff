import { describe, expect, it } from 'vitest';
import { listenerFigures } from '../../bench/listenerFigures.js';
import type { ListenerSplit } from '../../bench/splitListenerWall.js';

describe("the many-tenants bench's figures of where its wall went", () => {
  // The split of 20 messages of 100 ms each in two batches (16, then 4) over a wall of 276 ms
  // (test/bench/splitListenerWall.test.ts works it out from the batches and deliveries).
  const split: ListenerSplit = {
    plannerMs: 50,
    handlersMs: 200,
    evenHandlersMs: 200,
    messagesMs: 15,
    listenerMs: 11,
    messages: 20,
    batches: 2,
    receives: 3,
    meanHandlerMs: 100,
    meanStartDelayMs: 0.25,
    lastStartDelayMs: 2.5,
    meanDeleteMs: 2,
    rejectedDeletes: 0,
    meanReceiveMs: 11 / 3,
  };

  // Dispatch is the wall less the handlers alone, so the two add up to wall ÷ floor by construction: not asserted.
  it('prints the handlers alone and the dispatch as shares of the floor', () => {
    const [handlers, dispatch] = listenerFigures('tenants', split, 276, 200);
    expect(handlers).toMatchObject({ value: 1, goal: null, ok: null });
    expect(dispatch).toMatchObject({ value: 0.38, goal: null, ok: null });
    expect(dispatch!.how).toMatch(/^wall 0.3 s − handlers alone 0.2 s = 0.1 s: planner 0.1 s/);
    expect(dispatch!.how).toMatch(/listener 0.0 s \(3 receives, 2 with messages, a mean 4 ms each\)$/);
    expect(dispatch!.how).toMatch(/; delete 2 ms\); listener/);
  });

  it('says how many deletes rejected, when any did, beside the mean delete they leave short', () => {
    const [, dispatch] = listenerFigures('tenants', { ...split, rejectedDeletes: 2 }, 276, 200);
    expect(dispatch!.how).toMatch(/; delete 2 ms, 2 rejected, counted at what settled after them, else 0 ms\); listener/);
  });

  it('prints both as not measured, with the reason, when the split could not be worked out', () => {
    const figures = listenerFigures('tenants', { unmeasured: 'message m3#1 was received but never handled' }, 276, 200);
    expect(figures).toHaveLength(2);
    for (const figure of figures) expect(figure).toMatchObject({ value: null, ok: null, reason: expect.stringMatching(/m3#1/) });
  });
});
