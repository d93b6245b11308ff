/** `items` in runs of `size` (the last may be shorter), in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let at = 0; at < items.length; at += size) runs.push(items.slice(at, at + size));
  return runs;
}
