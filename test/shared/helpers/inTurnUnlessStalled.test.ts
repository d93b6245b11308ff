import { describe, expect, it } from 'vitest';
import { inTurnUnlessStalled } from '../../../shared/helpers/inTurnUnlessStalled.js';
import { realSleep as sleep } from '../../../shared/helpers/sleep.js';

/** Runs items that each wait `ms` on their source, logging when each starts and ends. */
async function runAll(waits: Record<string, number>, stallMs: number) {
  const log: string[] = [];
  const ran = inTurnUnlessStalled(Object.keys(waits), stallMs, async (item, fromSource) => {
    log.push(`${item} starts`);
    await fromSource(sleep(waits[item]!));
    log.push(`${item} ends`);
    return item;
  });
  expect(await Promise.all(ran)).toEqual(Object.keys(waits));
  return log;
}

describe('inTurnUnlessStalled', () => {
  it('runs the items one after another while each answers in time', async () => {
    expect(await runAll({ a: 1, b: 1, c: 1 }, 1_000)).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('lets the next item start beside one that stalls, and never runs more than two at once', async () => {
    const log = await runAll({ slow: 150, b: 1, c: 1 }, 20);
    expect(log.slice(0, 3)).toEqual(['slow starts', 'b starts', 'b ends']);
    // c waits for b, and for the one before b (the stalled one) to end: never three at once.
    expect(log.indexOf('c starts')).toBeGreaterThan(log.indexOf('slow ends'));
  });
});
