import { DateTime } from 'luxon';
import { sameJson } from '../helpers/canonicalJson.js';
import { asOf } from './asOf.js';
import { findingKey, type Finding } from './Finding.js';

export type CredentialEventType =
  'credential.expiring' | 'credential.expired' | 'credential.stale' | 'credential.hygiene' | 'credential.rotated' | 'credential.removed';

/** Something a person should hear about one finding. */
export interface CredentialNotice {
  type: CredentialEventType;
  finding: Finding;
  /** `credential.rotated`: the key id of the credential that took over. */
  replacedBy?: string | undefined;
  /** `credential.removed`: the whole object was deleted, not just the credential. */
  objectDeleted?: boolean | undefined;
}

/**
 * Why a finding closed, as far as the read can tell: a newer credential (or, for a vault secret, a
 * later expiry) replaced it; the credential or its whole object is gone; or neither (it left the
 * ladder, e.g. the ladder was changed): `undefined`.
 */
export type Closure = { kind: 'replaced'; by: string | undefined } | { kind: 'removed'; objectDeleted: boolean } | undefined;

export interface FindingsDiff {
  notices: CredentialNotice[];
  /** Findings that are new or changed (days left change daily). */
  upserts: Finding[];
  /** Findings that closed: the credential left the ladder, was removed, or its object was deleted. */
  removals: Finding[];
}

/**
 * What a person hears about: a level changes only when the situation does. Covered (an overlap exists)
 * findings stay quiet until they turn stale, so a rotated credential is not nagged about again.
 */
function levelOf(f: Finding): string {
  if (f.status === 'stale') return 'stale';
  // Another hygiene item is news; the same ones again are not.
  if (f.status === 'hygiene')
    return `hygiene:${f.hygiene
      .map((h) => h.check)
      .sort()
      .join(',')}`;
  if (f.overlap) return 'covered';
  return f.status === 'expired' ? 'expired' : `expiring:${f.threshold}`;
}

/**
 * Old findings against new ones, a finding at a time (startDiff), by tenant, object and key id. New or
 * escalated findings give `credential.expiring`/`expired`/`stale`; a finding that a newer credential now
 * covers, or that closed while a newer credential of its object exists, gives `credential.rotated`; one
 * that closed because the credential or its object was removed gives `credential.removed`, so its
 * reminders end; nothing unchanged repeats. Closing events go only for findings a person was asked to act
 * on (not covered ones), and for stale ones on removal, which is what they asked for. `closureOf` tells
 * why one closed.
 */
export interface FindingsDiffer {
  /**
   * One current finding: what a person hears of it, and whether it must be stored. A finding taken twice (a
   * read started again) counts once. `before`: the previous finding of its key where the caller already read it.
   */
  take(now: Finding, before?: Finding): { notice: CredentialNotice | undefined; upsert: boolean };
  /** Whether a current finding of this key was taken. */
  has(key: string): boolean;
  /** Once every current finding is taken: the previous ones not taken again, and what closing them says. */
  closed(closureOf: (closed: Finding) => Closure): { notices: CredentialNotice[]; removals: Finding[] };
}

/**
 * The comparison for a scan that judges its directory page by page: each finding is compared with the
 * previous one as it is judged, and only its key is kept, so the scan need not hold every current
 * finding until the end. Taken in any order or pages, the same findings give the same diff.
 */
export function startDiff(previous: ReadonlyMap<string, Finding>): FindingsDiffer {
  const taken = new Set<string>();
  return {
    take(now, known) {
      const key = findingKey(now);
      if (taken.has(key)) return { notice: undefined, upsert: false };
      taken.add(key);
      // A finding with no previous one costs a lookup only; one that has is read (parsed) once per scan.
      const before = known ?? previous.get(key);
      return { notice: noticeFor(before, now), upsert: !before || !sameFinding(before, now) };
    },
    has: (key) => taken.has(key),
    closed(closureOf) {
      const closed = { notices: [] as CredentialNotice[], removals: [] as Finding[] };
      // By key first: a finding taken again is not read again (previous may parse each one it hands out: KeptFindings).
      for (const key of previous.keys()) {
        if (taken.has(key)) continue;
        const before = previous.get(key)!;
        closed.removals.push(before);
        const notice = closingNoticeFor(before, closureOf(before));
        if (notice) closed.notices.push(notice);
      }
      return closed;
    },
  };
}

function closingNoticeFor(before: Finding, closure: Closure): CredentialNotice | undefined {
  if (closure?.kind === 'replaced' && needsPerson(before)) return { type: 'credential.rotated', finding: before, replacedBy: closure.by };
  if (closure?.kind === 'removed' && (needsPerson(before) || before.status === 'stale' || before.status === 'hygiene'))
    return { type: 'credential.removed', finding: before, objectDeleted: closure.objectDeleted };
  return undefined;
}

function noticeFor(before: Finding | undefined, now: Finding): CredentialNotice | undefined {
  const from = before ? levelOf(before) : undefined;
  const to = levelOf(now);
  if (from === to) return undefined;
  if (to === 'stale') return { type: 'credential.stale', finding: now };
  if (now.status === 'hygiene') return { type: 'credential.hygiene', finding: now };
  if (to === 'covered') {
    if (before && needsPerson(before)) return { type: 'credential.rotated', finding: now, replacedBy: now.outlivedBy?.keyId };
    // First seen already covered: said once, quietly; after a stale report, nothing more to say.
    return from === undefined ? { type: now.status === 'expired' ? 'credential.expired' : 'credential.expiring', finding: now } : undefined;
  }
  if (to === 'expired') return { type: 'credential.expired', finding: now };
  // Expiring: a lower step than before is news; a higher one (the ladder was changed) is not.
  if (before && before.status === 'expiring' && !before.overlap && now.threshold > before.threshold) return undefined;
  return { type: 'credential.expiring', finding: now };
}

/** A finding that still asks something of a person: not covered by a newer credential, not stale, not hygiene. */
function needsPerson(f: Finding): boolean {
  return !f.overlap && f.status !== 'stale' && f.status !== 'hygiene';
}

/** Any fixed moment: two findings compared as of the same one differ only where their judgement does. */
const SETTLED = DateTime.fromMillis(0, { zone: 'utc' });

/**
 * The same judgement: day counts (days left, an unused credential's idle days) move daily and are worked
 * out again when read (asOf), so they alone change nothing stored: both are seen as of one moment, by
 * asOf's own rule. Without this, every unused credential's rows (most expired ones) were written again by
 * every daily scan.
 */
function sameFinding(a: Finding, b: Finding): boolean {
  return sameJson(asOf(a, SETTLED), asOf(b, SETTLED));
}

/** What a first sight of a finding says (a tenant's first scan announces each one that needs action now). */
export function firstNoticeOf(f: Finding): CredentialNotice | undefined {
  return noticeFor(undefined, f);
}
