import { describe, expect, it } from 'vitest';
import { planBench } from '../../bench/planBench.js';

describe('npm run bench', () => {
  it('gives --runs=N to every case that takes it: each refresh case, and each scan case with a memory goal', () => {
    const plan = planBench(['--json', '--runs=5']);
    expect(plan.json).toBe(true);
    expect(plan.refresh.runs).toBe(5);
    expect(plan.scan?.filter((c) => c.memoryRuns !== undefined).map((c) => [c.args.join(' '), c.memoryRuns])).toEqual([
      ['single 1000', 5],
      ['single 25000 list messy', 5],
      ['single 100000 delta', 5],
    ]);
  });

  it('runs the scan cases with a memory goal three times when --runs is not given, and each refresh case once', () => {
    const plan = planBench([]);
    expect(plan.refresh).toMatchObject({
      runs: 1,
      cases: [{ connections: 1_000 }, { connections: 10_000 }, { connections: 100_000, vaults: 10 }],
    });
    expect(plan.scan?.map((c) => c.memoryRuns ?? 1)).toEqual([3, 1, 3, 3, 1, 1]);
  });

  it('runs named refresh cases alone', () => {
    expect(planBench(['10000/first', '--runs=3'])).toEqual({
      json: false,
      refresh: { runs: 3, cases: [{ connections: 10_000, vaults: 1, steady: false, planOnly: false, withTimeline: false }] },
      scan: undefined,
    });
  });

  it('refuses an option it does not know, naming it', () => {
    expect(() => planBench(['--jsn'])).toThrow('npm run bench: unknown option --jsn (it takes --json, --runs=N and refresh cases)');
  });
});
