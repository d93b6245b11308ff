/**
 * One credential's entry in Graph's usage report (`GET /beta/reports/appCredentialSignInActivities`):
 * when it was last used to sign in, and to which resource. Microsoft calls the timestamp evidence, not
 * proof: it may include partial or failed sign-ins, and a new credential may not be reported yet.
 */
export interface SignInRecord {
  keyId: string;
  lastSignIn: string | null;
  /** App id of the resource the last sign-in was for (Microsoft Graph, Exchange Online, …). */
  resourceId: string | null;
}

/** A tenant's usage report as read, by lower-case key id, or why it could not be read. */
export type UsageEvidence =
  | { kind: 'read'; byKeyId: ReadonlyMap<string, SignInRecord> }
  | { kind: 'unavailable'; reason: string; missingPermission?: string | undefined };

/**
 * What Vigil knows about a credential's use: `used` within the unused window, `unused` for at least
 * that long (on evidence), or `unknown` with the reason. Never `unused` without the report saying so.
 */
export type CredentialUsage =
  | { kind: 'used'; lastSignIn: string }
  | { kind: 'unused'; lastSignIn: string | null; unusedDays: number }
  | { kind: 'unknown'; reason: string };

const DAY_MS = 86_400_000;

/**
 * Judges one credential's use from the report at `nowMs`. No entry means no sign-in recorded: that is
 * evidence of non-use only once the credential is older than the window (a newer one may not be
 * reported yet, and one whose start is unknown cannot be judged).
 */
export function judgeUsage(
  credential: { keyId: string; startDateTime: string | null },
  evidence: UsageEvidence,
  unusedAfterDays: number,
  nowMs: number,
): CredentialUsage {
  if (evidence.kind === 'unavailable') return { kind: 'unknown', reason: evidence.reason };
  const last = evidence.byKeyId.get(credential.keyId.toLowerCase())?.lastSignIn ?? null;
  if (last !== null) {
    const idle = daysSince(last, nowMs);
    return idle < unusedAfterDays ? { kind: 'used', lastSignIn: last } : { kind: 'unused', lastSignIn: last, unusedDays: idle };
  }
  if (credential.startDateTime === null)
    return { kind: 'unknown', reason: 'no sign-in is recorded, and the credential has no start date to judge its age by' };
  const age = daysSince(credential.startDateTime, nowMs);
  if (age < unusedAfterDays)
    return { kind: 'unknown', reason: `no sign-in is recorded yet; the credential is only ${age} day${age === 1 ? '' : 's'} old` };
  return { kind: 'unused', lastSignIn: null, unusedDays: age };
}

const daysSince = (instant: string, nowMs: number): number => Math.floor((nowMs - Date.parse(instant)) / DAY_MS);

/**
 * A stored judgement of use as of `nowMs`: an unused credential's idle days move daily, as its days left
 * do, so a scan does not write its finding again for them alone and a reader works them out again (asOf.ts).
 */
export function usageAsOf(usage: CredentialUsage, startDateTime: string | null, nowMs: number): CredentialUsage {
  if (usage.kind !== 'unused') return usage;
  const since = usage.lastSignIn ?? startDateTime;
  return since === null ? usage : { ...usage, unusedDays: daysSince(since, nowMs) };
}

/** "last used 3 days ago (2026-11-20)", "unused for 45 days", "usage unknown: …": one phrase for a person. */
export function describeUsage(usage: CredentialUsage, nowMs: number): string {
  switch (usage.kind) {
    case 'used': {
      const days = daysSince(usage.lastSignIn, nowMs);
      const ago = days < 1 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
      return `last used to sign in ${ago} (${usage.lastSignIn.slice(0, 10)})`;
    }
    case 'unused':
      return usage.lastSignIn
        ? `unused for ${usage.unusedDays} days (last sign-in ${usage.lastSignIn.slice(0, 10)})`
        : `unused: no sign-in recorded in the ${usage.unusedDays} days since it was created`;
    case 'unknown':
      return `usage unknown: ${usage.reason}`;
  }
}
