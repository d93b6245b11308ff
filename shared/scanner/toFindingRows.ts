import type { Severity } from '../events/vigilEvent.js';
import { findingIdOfCredential } from '../notifications/findingOf.js';
import type { Finding } from './Finding.js';
import type { ScanState } from './ScanPorts.js';

/** Findings a JSON page of `GET /api/findings` holds unless `$top` asks for fewer, and the most it may ask for. */
export const FINDINGS_PAGE = { default: 100, max: 1_000 } as const;

/** One finding as the findings API shows it: what, where, when, how bad, and where to fix it. */
export interface FindingRow {
  /** The finding id (`vigilfinding` on its events). */
  id: string;
  tenantId: string;
  tenantName: string;
  subjectKind: Finding['subjectKind'];
  subject: string;
  appId: string | null;
  objectId: string;
  credentialType: Finding['credentialType'];
  credentialName: string | null;
  keyId: string;
  endDateTime: string;
  daysLeft: number;
  threshold: number;
  status: Finding['status'];
  severity: Severity;
  overlap: boolean;
  vaultCopy: { vaultUrl: string; secretName: string; stale: boolean } | null;
  portalUrl: string;
  usage: Finding['usage'];
  advice: Finding['advice'];
  impact: Finding['impact'];
  hygiene: Finding['hygiene'];
}

/** A tenant whose credentials could not be checked: shown beside the findings, never as "nothing found". */
export interface UnscannedRow {
  tenantId: string;
  tenantName: string;
  reason: string;
  missingPermission: string | null;
  since: string;
}

export interface FindingsFilter {
  tenantId?: string | undefined;
  severities?: readonly Severity[] | undefined;
  maxDaysLeft?: number | undefined;
}

/** Findings as rows, in the order given: the store filters and orders them (most severe first, then soonest). */
export function toFindingRows(findings: readonly Finding[], tenantName: (id: string) => string): FindingRow[] {
  return findings.map((f) => ({
    id: findingIdOfCredential(f),
    tenantId: f.tenantId,
    tenantName: tenantName(f.tenantId),
    subjectKind: f.subjectKind,
    subject: f.subjectName,
    appId: f.appId,
    objectId: f.objectId,
    credentialType: f.credentialType,
    credentialName: f.credentialName,
    keyId: f.keyId,
    endDateTime: f.endDateTime,
    daysLeft: f.daysLeft,
    threshold: f.threshold,
    status: f.status,
    severity: f.severity,
    overlap: f.overlap,
    vaultCopy: f.vaultCopy ? { ...f.vaultCopy, stale: f.vaultCopyStale } : null,
    portalUrl: f.portalUrl,
    usage: f.usage,
    advice: f.advice,
    impact: f.impact,
    hygiene: f.hygiene,
  }));
}

export function toUnscannedRows(states: readonly ScanState[], filter: FindingsFilter, tenantName: (id: string) => string): UnscannedRow[] {
  return states
    .filter((s) => s.failingSince && s.failure && (!filter.tenantId || s.tenantId === filter.tenantId.toLowerCase()))
    .map((s) => ({
      tenantId: s.tenantId,
      tenantName: tenantName(s.tenantId),
      reason: s.failure!.reason,
      missingPermission: s.failure!.missingPermission ?? null,
      since: s.failingSince!,
    }));
}
