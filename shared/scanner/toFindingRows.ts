import { z } from 'zod';
import { nextLinkSchema } from '../paging/nextLinkSchema.js';
import { instantSchema } from '../events/instantSchema.js';
import { severities, type Severity } from '../events/vigilEvent.js';
import { adviceSchema, hygieneItemSchema, impactSchema, usageSchema } from '../intelligence/intelligenceSchemas.js';
import { findingIdOfCredential } from '../notifications/findingOf.js';
import { credentialTypes, findingStatuses, subjectKinds, type Finding } from './Finding.js';
import type { ScanState } from './ScanPorts.js';

/** One finding as the findings API shows it: what, where, when, how bad, and where to fix it. */
export const findingRowSchema = z
  .object({
    id: z.string().describe('The finding id (`vigilfinding` on its events); what `POST /findings/{id}/snooze` takes.'),
    tenantId: z.string(),
    tenantName: z.string(),
    subjectKind: z.enum(subjectKinds),
    subject: z.string().describe('Display name of the app, service principal or vault secret.'),
    appId: z.string().nullable(),
    objectId: z.string(),
    credentialType: z
      .enum(credentialTypes)
      .describe('password = client secret; certificate = key credential; samlSigning = SAML signing certificate.'),
    credentialName: z.string().nullable(),
    keyId: z.string(),
    endDateTime: instantSchema,
    daysLeft: z.int().describe('Whole days left (at least 1) while valid; days since the end (at most -1) once expired. Never 0.'),
    threshold: z.int().describe('The ladder step crossed, in days; 0 once expired.'),
    status: z.enum(findingStatuses).describe('`hygiene`: off the expiry ladder, listed but never counted as needing action.'),
    severity: z.enum(severities),
    overlap: z.boolean().describe('A newer credential of the same object took over.'),
    vaultCopy: z.object({ vaultUrl: z.string(), secretName: z.string(), stale: z.boolean() }).nullable(),
    portalUrl: z.string().describe("The credential's Certificates & secrets page in its cloud's portal."),
    usage: usageSchema.nullable(),
    advice: adviceSchema.nullable(),
    impact: impactSchema.nullable(),
    hygiene: z.array(hygieneItemSchema),
  })
  .meta({ id: 'Finding', description: 'A credential that needs attention (or has hygiene items), as judged now.' });
export type FindingRow = z.output<typeof findingRowSchema>;

/** A tenant whose credentials could not be checked: shown beside the findings, never as "nothing found". */
export const unscannedRowSchema = z
  .object({
    tenantId: z.string(),
    tenantName: z.string(),
    reason: z.string(),
    missingPermission: z.string().nullable(),
    since: instantSchema,
  })
  .meta({ id: 'UnscannedTenant', description: 'A tenant that could not be checked: its findings may be missing or old.' });
export type UnscannedRow = z.output<typeof unscannedRowSchema>;

/** A JSON page of `GET /api/findings` (Azure REST API guidelines: `value`, `nextLink`). */
export const findingsPageSchema = z
  .object({
    value: z.array(findingRowSchema),
    nextLink: nextLinkSchema.optional(),
    unscanned: z.array(unscannedRowSchema).describe('On every page, so no page reads as all clear.'),
  })
  .meta({ id: 'FindingsPage', description: 'A page of findings, most urgent first, and the tenants that could not be scanned.' });
export type FindingsPage = z.output<typeof findingsPageSchema>;

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
