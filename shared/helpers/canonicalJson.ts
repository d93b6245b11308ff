/**
 * JSON with keys sorted at every level and undefined fields left out, so two values that mean the same
 * compare equal: stored rows come back from JSON in whatever order they were written.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(',')}}`;
}

/**
 * Whether two values have the same canonicalJson, without writing either out: key by key, stopping at the
 * first difference. A daily or delta scan compares each of its findings with the last good one (startDiff),
 * and writing both out was most of a delta's work after Graph's last answer.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return canonicalJson(a) === canonicalJson(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const [key, v] of Object.entries(x)) {
    if (v === undefined) continue;
    defined += 1;
    if (!Object.hasOwn(y, key) || !sameJson(v, y[key])) return false;
  }
  return Object.values(y).filter((v) => v !== undefined).length === defined;
}
