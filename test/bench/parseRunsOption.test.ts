import { describe, expect, it } from 'vitest';
import { parseRunsOption } from '../../bench/parseRunsOption.js';

describe('parseRunsOption', () => {
  it('reads --runs=N and leaves the other arguments for the bench', () => {
    expect(parseRunsOption(['--json', '--runs=3', '10000'])).toEqual({ runs: 3, rest: ['--json', '10000'] });
    expect(parseRunsOption(['single', '25000', 'list', 'messy'])).toEqual({ runs: undefined, rest: ['single', '25000', 'list', 'messy'] });
  });

  it("still reads the scan bench's former spelling, --memory-runs N, taking its count out of the case", () => {
    expect(parseRunsOption(['--memory-runs', '3', 'single', '1000'])).toEqual({ runs: 3, rest: ['single', '1000'] });
  });

  it.each([
    [['--runs='], '--runs needs a positive whole number of runs, got no count'],
    [['--runs=0'], '--runs needs a positive whole number of runs, got "0"'],
    [['--runs=2.5'], '--runs needs a positive whole number of runs, got "2.5"'],
    [['--runs', '3'], '--runs needs a positive whole number of runs, got no count'],
    [['single', '1000', '--memory-runs'], '--memory-runs needs a positive whole number of runs, got no count'],
    [['--memory-runs', 'single', '1000'], '--memory-runs needs a positive whole number of runs, got "single"'],
  ])('names the option when its count is missing or not a positive whole number: %j', (args, message) => {
    expect(() => parseRunsOption(args)).toThrow(message);
  });

  it.each([
    [['--runs=2'], '--runs needs an odd number of runs, got 2'],
    [['--memory-runs', '4', 'single', '1000'], '--memory-runs needs an odd number of runs, got 4'],
  ])('refuses an even count, whose median run would lower a ratio goal measured against a median: %j', (args, message) => {
    expect(() => parseRunsOption(args)).toThrow(message);
  });
});
