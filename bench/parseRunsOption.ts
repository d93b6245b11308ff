/** How often each case with a memory goal runs, and the arguments left once the option is taken out. */
export interface RunsOption {
  runs: number | undefined;
  rest: string[];
}

const usage = 'write it as --runs=3: each case that many times, its memory judged on the median run (bench/medianRun.ts)';

/**
 * The refresh and scan benches' one spelling for repeated runs, `--runs=N` (N a positive whole number).
 * `--memory-runs N`, the scan bench's spelling before, is still read, as the README
 * named it until now. A
 * missing or malformed count is an error naming the option, never NaN or a silent single run; `--runs 3`
 * with a space is one too, since the refresh bench would read the `3` as a case of 3 connections.
 */
export function parseRunsOption(args: readonly string[]): RunsOption {
  let runs: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--runs' || arg.startsWith('--runs=')) runs = toRuns('--runs', arg === '--runs' ? undefined : arg.slice('--runs='.length));
    else if (arg === '--memory-runs') {
      runs = toRuns('--memory-runs', args[i + 1]);
      i += 1;
    } else rest.push(arg);
  }
  return { runs, rest };
}

function toRuns(option: string, value: string | undefined): number {
  if (value !== undefined && /^[1-9]\d*$/.test(value)) return Number(value);
  const got = value === undefined || value === '' ? 'no count' : `"${value}"`;
  throw new Error(`${option} needs a positive whole number of runs, got ${got}; ${usage}`);
}
