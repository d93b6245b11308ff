import { describe, expect, it } from 'vitest';
import { watchLoopBusy, watchLoopDelay } from '../../bench/watchLoopBusy.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the timeline's watch of Vigil's event loop", () => {
  it('counts a stretch of code holding the loop as late within it, part of it as running, and nothing outside it', async () => {
    const loop = watchLoopBusy();
    await pause(20);
    const idleUntil = performance.now();
    await pause(20);
    const from = performance.now();
    // Code that holds the loop for 60 ms: an answer arriving now would wait for it.
    while (performance.now() - from < 60);
    const to = performance.now();
    await pause(20);
    loop.stop();
    const within = loop.lateWithin(from, to);
    // On a loaded machine the timer itself may be late a few ms at a time; the held loop is one stretch of about 60 ms.
    expect(within.late).toBeGreaterThan(45);
    expect(within.processCpu).toBeGreaterThan(0);
    expect(within.processCpu).toBeLessThanOrEqual(within.late);
    expect(loop.lateWithin(idleUntil - 15, idleUntil).late).toBeLessThan(10);
    expect(loop.describe()).toMatch(/^Vigil's event loop over [\d.]+ s: late [\d.]+ s in \d+ stretches/);
  });
});

describe("the bench's watch of Vigil's event-loop delay", () => {
  it('tells one phase from the next: a split reads the delay so far and starts afresh', async () => {
    const loop = watchLoopDelay(1);
    // Node's timer records the time between its firings: it must have fired once before the loop is held.
    await pause(20);
    const from = performance.now();
    // Code that holds the loop for 300 ms, then a turn of the loop for the timer to record it.
    while (performance.now() - from < 300);
    await pause(10);
    const first = loop.split();
    await pause(10);
    loop.stop();
    expect(first.max).toBeGreaterThan(250);
    // The held loop was the first phase's alone (a loaded machine may still hold the second for a while).
    expect(loop.read().max).toBeLessThan(250);
    expect(loop.read()).toEqual(loop.read());
  });
});
