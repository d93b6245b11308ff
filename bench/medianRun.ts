/**
 * The bench's one rule for "the median run": of several runs of one case, the one whose peak RSS growth
 * (`growthOf`) is the median. Counts are odd (parseRunsOption refuses an even one), so it is the middle run;
 * given an even count it takes the higher of the middle two. One run's peak is partly when V8 chose to
 * collect: identical runs differ by a third to a half, while the median of three moves less. The refresh
 * bench takes the whole median run, so its other figures stay its own; the scan bench takes only the
 * growth, and its walls are its first run's.
 */
export function medianRun<T>(runs: readonly T[], growthOf: (run: T) => number): T {
  const sorted = [...runs].sort((a, b) => growthOf(a) - growthOf(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('a case needs at least one run');
  return median;
}
