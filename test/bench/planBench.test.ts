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

  it('never judges a scan memory goal on fewer than three runs: --runs=1 runs each refresh case once, and those scan cases three times', () => {
    const plan = planBench(['--runs=1']);
    expect(plan.refresh.runs).toBe(1);
    expect(plan.scan?.map((c) => c.memoryRuns ?? 1)).toEqual([3, 1, 3, 3, 1, 1]);
  });

  it('runs named refresh cases alone', () => {
    expect(planBench(['10000/first', '--runs=3'])).toEqual({
      json: false,
      refresh: { runs: 3, cases: [{ connections: 10_000, vaults: 1, steady: false, planOnly: false, withTimeline: false }] },
      scan: undefined,
    });
  });

  it.each([
    [
      ['1000', '10000x'],
      'npm run bench: unknown case 10000x (it takes --json, --runs=N (each refresh case N times, each scan case with a memory goal N times but never fewer than 3) and refresh cases: 1000, 10000, 100000x10',
    ],
    [
      ['single', '1000'],
      'npm run bench: unknown case single (it takes --json, --runs=N (each refresh case N times, each scan case with a memory goal N times but never fewer than 3) and refresh cases: 1000, 10000, 100000x10, each with /first, /plan or /timeline after, e.g. 10000/first; a scan case runs alone, e.g. node dist/local/bin/withLocalCa.js node dist/bench/scanBench.js single 1000)',
    ],
    [['--jsn'], 'npm run bench: unknown option --jsn (it takes --json, --runs=N'],
  ])('refuses an argument it does not know, naming it and what it takes, rather than run other cases: %j', (args, message) => {
    expect(() => planBench(args)).toThrow(message);
  });
});
