import { canonicalJson } from '../core/canonicalJson.js';
import type { Finding } from './Finding.js';

export type CredentialEventType = 'credential.expiring' | 'credential.expired' | 'credential.stale' | 'credential.rotated';

/** Something a person should hear about one finding. */
export interface CredentialNotice {
  type: CredentialEventType;
  finding: Finding;
  /** `credential.rotated`: the key id of the credential that took over. */
  replacedBy?: string | undefined;
}

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
  if (f.overlap) return 'covered';
  return f.status === 'expired' ? 'expired' : `expiring:${f.threshold}`;
}

/**
 * Old findings against new ones, by tenant, object and key id. New or escalated findings give
 * `credential.expiring`/`expired`/`stale`; a finding that a newer credential now covers, or that closed
 * while a newer credential of its object exists, gives `credential.rotated`; nothing unchanged repeats.
 * `replacementOf` tells, for a closed finding, the newer valid credential of its object and type.
 */
export function diffFindings(
  previous: ReadonlyMap<string, Finding>,
  current: ReadonlyMap<string, Finding>,
  replacementOf: (closed: Finding) => string | undefined,
): FindingsDiff {
  const diff: FindingsDiff = { notices: [], upserts: [], removals: [] };
  for (const [key, now] of current) {
    const before = previous.get(key);
    const notice = noticeFor(before, now);
    if (notice) diff.notices.push(notice);
    if (!before || !sameFinding(before, now)) diff.upserts.push(now);
  }
  for (const [key, before] of previous) {
    if (current.has(key)) continue;
    diff.removals.push(before);
    const replacedBy = needsPerson(before) ? replacementOf(before) : undefined;
    if (replacedBy) diff.notices.push({ type: 'credential.rotated', finding: before, replacedBy });
  }
  return diff;
}

function noticeFor(before: Finding | undefined, now: Finding): CredentialNotice | undefined {
  const from = before ? levelOf(before) : undefined;
  const to = levelOf(now);
  if (from === to) return undefined;
  if (to === 'stale') return { type: 'credential.stale', finding: now };
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

/** A finding that still asks something of a person: not covered by a newer credential, not stale. */
function needsPerson(f: Finding): boolean {
  return !f.overlap && f.status !== 'stale';
}

function sameFinding(a: Finding, b: Finding): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
