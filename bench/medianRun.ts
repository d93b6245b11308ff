/**
 * The bench's one rule for "the median run": of several runs of one case, the one whose peak RSS growth
 * (`growthOf`) is the median; for an even count the higher of the middle two, so the choice never flatters a
 * memory goal. One run's peak is partly when V8 chose to collect: identical runs differ by a third to a half,
 * while the median of three moves less. A whole run is taken, so its other figures stay its own.
 */
export function medianRun<T>(runs: readonly T[], growthOf: (run: T) => number): T {
  const sorted = [...runs].sort((a, b) => growthOf(a) - growthOf(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('a case needs at least one run');
  return median;
}
