import { sameJson } from '../helpers/canonicalJson.js';
import { findingKey, type CredentialFacts } from './Finding.js';
import type { ScanPolicy } from './ScanPolicy.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Delta rounds return only objects that changed, yet time alone brings a credential onto the ladder.
 * Credentials above the ladder that reach its top rung before the next full read (and one more, in case
 * that read fails) are kept as "upcoming" and judged again on every scan. A tenant of 100,000 apps has a
 * few hundred such crossings in two days, so this costs a table page, not a Graph read.
 */
export function upcomingUntilMs(policy: ScanPolicy, nowMs: number): number {
  return nowMs + 2 * policy.fullScanEveryHours * HOUR_MS;
}

/** Whether time alone brings a credential that is above the ladder onto its top rung by `untilMs`. */
export function reachesLadderBy(facts: CredentialFacts, policy: ScanPolicy, untilMs: number): boolean {
  const top = Math.max(...policy.thresholdsDays);
  // daysLeft ≤ top (days rounded up) from `end - top days` on.
  return Date.parse(facts.endDateTime) - top * DAY_MS <= untilMs;
}

/**
 * The upcoming credentials after a scan. A full read found them all afresh; a delta read keeps the
 * earlier ones of objects it did not return (nothing about them changed) unless they are findings now,
 * and adds those of the objects it read.
 */
export function nextUpcoming(
  read: { mode: 'full' | 'delta'; upcoming: ReadonlyMap<string, CredentialFacts>; touched: ReadonlySet<string> },
  previous: readonly CredentialFacts[],
  /** The current findings' keys (`has` alone: a scan that streamed its findings keeps no more). */
  current: { has(key: string): boolean },
): Map<string, CredentialFacts> {
  const next = new Map(read.upcoming);
  if (read.mode === 'full') return next;
  for (const facts of previous) {
    const key = findingKey(facts);
    if (!read.touched.has(facts.objectId) && !current.has(key) && !next.has(key)) next.set(key, facts);
  }
  return next;
}

/** What to write: entries that are new or changed, and entries that left. */
export function diffUpcoming(
  previous: readonly CredentialFacts[],
  next: ReadonlyMap<string, CredentialFacts>,
): { upserts: CredentialFacts[]; removals: CredentialFacts[] } {
  const before = new Map(previous.map((f) => [findingKey(f), f]));
  const upserts = [...next].filter(([key, f]) => {
    const old = before.get(key);
    return !old || !sameJson(old, f);
  });
  return { upserts: upserts.map(([, f]) => f), removals: [...before].filter(([key]) => !next.has(key)).map(([, f]) => f) };
}
