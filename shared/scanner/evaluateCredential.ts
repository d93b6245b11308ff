import type { DateTime } from 'luxon';
import type { Severity } from '../events/vigilEvent.js';
import type { CredentialFacts, Finding } from './Finding.js';
import type { ScanPolicy } from './ScanPolicy.js';

const DAY_MS = 86_400_000;

/**
 * Whole days left, rounded up while the credential is valid ("expires in 1 day" with an hour left), and
 * whole days since once expired (negative), but at most -1 from its end on. Never 0, which reads as
 * "expires today" whether or not the end has passed: a credential that expired an hour ago is -1.
 */
export function daysLeftUntil(endDateTime: string, now: DateTime): number {
  return daysLeftOf(Date.parse(endDateTime) - now.toMillis());
}

/** daysLeftUntil from the milliseconds left (negative once expired). */
const daysLeftOf = (ms: number): number => (ms > 0 ? Math.ceil(ms / DAY_MS) : -Math.max(1, Math.floor(-ms / DAY_MS)));

/** The smallest ladder step not below the days left (10 days → 14), or undefined above the ladder. */
export function crossedThreshold(daysLeft: number, thresholdsDays: readonly number[]): number | undefined {
  let crossed: number | undefined;
  for (const step of thresholdsDays) if (daysLeft <= step && (crossed === undefined || step < crossed)) crossed = step;
  return crossed;
}

/**
 * Severity of a credential that will break its app: by the ladder step it crossed. With an overlap the
 * app keeps working on the newer credential, so the finding is only a chore ("rotate soon").
 */
export function expiringSeverity(threshold: number, overlap: boolean): Severity {
  if (overlap) return 'low';
  if (threshold <= 3) return 'critical';
  if (threshold <= 14) return 'high';
  if (threshold <= 30) return 'medium';
  return 'low';
}

/**
 * Judges one credential at `now`: nothing above the ladder; `expiring` on it; `expired` after its end;
 * `stale` once it expired more than `staleAfterDays` ago while a newer credential replaced it. A vault
 * copy that still holds this credential cancels the overlap: whatever reads the vault breaks with it.
 * An expired credential nothing replaced for longer than `staleAfterDays` stays reported, as medium:
 * its app has been failing for a month or is unused, and either way a person should decide.
 * Replaced, for an expired credential, means a newer one ended after it, valid or not: when that newer
 * one lapses in turn, its own finding says so, and this one stays what it was (covered, then stale),
 * never "expired 40 days ago, nothing replaced it".
 */
export function evaluateCredential(facts: CredentialFacts, policy: ScanPolicy, now: DateTime): Finding | undefined {
  // Date.parse rather than luxon: this runs for every credential of every object, and Graph's dates are ISO 8601 UTC.
  // Each date parsed once: a delta judges again every kept finding and every credential of the apps it read after Graph's last answer.
  const nowMs = now.toMillis();
  const leftMs = Date.parse(facts.endDateTime) - nowMs;
  const daysLeft = daysLeftOf(leftMs);
  const expired = leftMs <= 0;
  // Most credentials of a tenant are far from the ladder: they are let go before anything is built for them.
  const threshold = expired ? 0 : crossedThreshold(daysLeft, policy.thresholdsDays);
  if (threshold === undefined) return undefined;
  const replacement = facts.outlivedBy !== null && (expired || Date.parse(facts.outlivedBy.endDateTime) > nowMs);
  const copyHoldsThis = facts.vaultCopy !== null;
  const overlap = replacement && !copyHoldsThis;
  const vaultCopyStale = copyHoldsThis && (replacement || expired);
  // Usage, advice, impact and hygiene are added after the read (enrichFindings), from evidence beyond the facts.
  // One object per finding, its properties listed rather than spread from the facts: `{ ...facts, daysLeft, … }`
  // made a 960-byte object (14 properties copied, 10 more added one by one, each growing a second store),
  // this literal a 256-byte one. Every finding of a scan waits for its evidence and its write, long enough to
  // be moved to the old generation. The order is the spread's, so a stored row's text is as it was.
  const judged = (status: Finding['status'], at: number, severity: Severity): Finding => ({
    tenantId: facts.tenantId,
    subjectKind: facts.subjectKind,
    objectId: facts.objectId,
    appId: facts.appId,
    subjectName: facts.subjectName,
    keyId: facts.keyId,
    credentialType: facts.credentialType,
    credentialName: facts.credentialName,
    startDateTime: facts.startDateTime,
    endDateTime: facts.endDateTime,
    outlivedBy: facts.outlivedBy,
    vaultCopy: facts.vaultCopy,
    portalUrl: facts.portalUrl,
    federated: facts.federated,
    daysLeft,
    overlap,
    vaultCopyStale,
    usage: null,
    advice: null,
    impact: null,
    hygiene: [],
    status,
    threshold: at,
    severity,
  });
  if (!expired) return judged('expiring', threshold, expiringSeverity(threshold, overlap));
  const longExpired = -daysLeft > policy.staleAfterDays;
  if (overlap && longExpired) return judged('stale', 0, 'info');
  return judged('expired', 0, overlap ? 'low' : longExpired ? 'medium' : 'critical');
}
