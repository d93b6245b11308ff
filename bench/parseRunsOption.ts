/** How often each case with a memory goal runs, and the arguments left once the option is taken out. */
export interface RunsOption {
  runs: number | undefined;
  rest: string[];
}

const usage = 'write it as --runs=3: each case that many times, its memory judged on the median run (bench/medianRun.ts)';

/**
 * The refresh and scan benches' one spelling for repeated runs, `--runs=N` (N a positive odd number).
 * `--memory-runs N`, the scan bench's spelling before, is still read, as the README named it until now.
 * A missing or malformed count is an error naming the option, never NaN or a silent single run; `--runs 3`
 * with a space is one too, since the refresh bench would read the `3` as a case of 3 connections. An even
 * count is one as well: its median run is the higher of the middle two (medianRun), which lowers a ratio
 * goal whose denominator is a median run (the 100,000 × 10 refresh's peak RSS growth ÷ the 10,000 case's).
 */
export function parseRunsOption(args: readonly string[]): RunsOption {
  let runs: number | undefined;
  const rest: string[] = [];
  const left = [...args];
  for (let arg = left.shift(); arg !== undefined; arg = left.shift()) {
    if (arg === '--runs' || arg.startsWith('--runs=')) runs = toRuns('--runs', arg === '--runs' ? undefined : arg.slice('--runs='.length));
    else if (arg === '--memory-runs') runs = toRuns('--memory-runs', left.shift());
    else rest.push(arg);
  }
  return { runs, rest };
}

function toRuns(option: string, value: string | undefined): number {
  if (value === undefined || !/^[1-9]\d*$/.test(value)) {
    const got = value === undefined || value === '' ? 'no count' : `"${value}"`;
    throw new Error(`${option} needs a positive whole number of runs, got ${got}; ${usage}`);
  }
  const runs = Number(value);
  if (runs % 2 === 0) {
    throw new Error(
      `${option} needs an odd number of runs, got ${runs}: of an even count the median run is the higher of the middle two, which lowers a ratio goal whose denominator is a median run; ${usage}`,
    );
  }
  return runs;
}
