import { describe, expect, it } from 'vitest';
import { watchLoopBusy } from '../../bench/watchLoopBusy.js';

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
