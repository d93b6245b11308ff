import { describe, expect, it } from 'vitest';
import { watchLoopBusy } from '../../bench/watchLoopBusy.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the timeline's watch of Vigil's event loop", () => {
  it('counts a stretch of code holding the loop as late within it, part of it as running, and nothing outside it', async () => {
    const loop = watchLoopBusy();
    await pause(20);
    const idleUntil = performance.now();
    await pause(20);
    // What the watch counted in a stretch before the hold, as seen before the hold. On a busy machine the loop can be
    // late there too (the process waiting for a core), which the watch rightly counts; the hold must add nothing to it.
    const idle = () => loop.lateWithin(idleUntil - 15, idleUntil).late;
    const idleBeforeHold = idle();
    const from = performance.now();
    // Code that holds the loop for 60 ms: an answer arriving now would wait for it.
    while (performance.now() - from < 60);
    const to = performance.now();
    await pause(20);
    loop.stop();
    const within = loop.lateWithin(from, to);
    // The held loop is one stretch: it starts at most 1 ms after `from` (the timer last fired before it) and runs past
    // `to`, so it counts nearly all of the 60 ms; a busy machine only lengthens it.
    expect(within.late).toBeGreaterThan(45);
    expect(within.processCpu).toBeGreaterThan(0);
    expect(within.processCpu).toBeLessThanOrEqual(within.late);
    expect(idle()).toBe(idleBeforeHold);
    expect(loop.describe()).toMatch(/^Vigil's event loop over [\d.]+ s: late [\d.]+ s in \d+ stretches/);
  });
});
