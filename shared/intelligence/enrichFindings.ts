import type { Finding } from '../scanner/Finding.js';
import type { VaultIndexEntry } from '../scanner/ScanPorts.js';
import { adviseOn } from './adviseOn.js';
import { blastRadiusOf } from './blastRadiusOf.js';
import { judgeUsage, type CredentialUsage, type UsageEvidence } from './CredentialUsage.js';
import { derivedChecks, type HygieneItem } from './HygieneItem.js';
import type { CredentialEvidence, EvidenceSample, ScanIntelligence } from './ScanIntelligence.js';

export interface EnrichInput {
  current: ReadonlyMap<string, Finding>;
  previous: ReadonlyMap<string, Finding>;
  /** Full reads refresh every finding's evidence; delta reads only that of findings without any yet. */
  mode: 'full' | 'delta';
  vaultEntries: readonly VaultIndexEntry[];
  /** What a full read has read: decides whether owners and usage are read for the whole tenant (ScanIntelligence). */
  read?: EvidenceSample | undefined;
  unusedAfterDays: number;
  nowMs: number;
}

/** Whether the usage report speaks of a finding's credential: app and service principal secrets and certificates. */
export const hasUsage = (f: Finding): boolean =>
  (f.subjectKind === 'application' || f.subjectKind === 'servicePrincipal') &&
  (f.credentialType === 'password' || f.credentialType === 'certificate') &&
  f.appId !== null;

/** Owners are read for client secrets of app registrations: the people who can replace them. */
export const wantsOwners = (f: Finding): boolean => f.subjectKind === 'application' && f.credentialType === 'password';

/** What is known of one finding's evidence as read by this scan; a kind not read for it is carried over from the last scan. */
export interface FindingEvidence {
  /** The usage report as read for the finding's app; undefined where usage was not read for it. */
  usage: UsageEvidence | undefined;
  /** Whether owners were read for the finding's application, and their addresses (null: they could not be read). */
  owners: { read: false } | { read: true; addresses: string[] | null };
}

/** What judging a finding with its evidence needs beyond the evidence. */
export type EnrichOptions = Pick<EnrichInput, 'vaultEntries' | 'unusedAfterDays' | 'nowMs'>;

/**
 * Adds usage, blast radius, advice and derived hygiene to the findings of one scan. Evidence is read
 * for the findings that need it (every one on a full read; new ones on a delta read) in one call, and
 * carried over from the last scan for the rest. (A full read's own findings are judged with theirs as its
 * pages are read: batchEvidence.)
 */
export async function enrichFindings(input: EnrichInput, intel: ScanIntelligence): Promise<Map<string, Finding>> {
  const needs = [...input.current].filter(([key]) => input.mode === 'full' || !input.previous.get(key)?.usage).map(([, f]) => f);
  const { appIds, objectIds } = evidenceOf(needs);
  const evidence: CredentialEvidence =
    appIds.length + objectIds.length > 0
      ? await intel.evidence({ appIds, applicationObjectIds: objectIds, read: input.read })
      : { usage: { kind: 'read', byKeyId: new Map() }, owners: new Map() };
  const read = { appIds: new Set(appIds), objectIds: new Set(objectIds) };
  const enriched = new Map<string, Finding>();
  for (const [key, f] of input.current) {
    const objectId = f.objectId.toLowerCase();
    const found: FindingEvidence = {
      usage: f.appId !== null && read.appIds.has(f.appId.toLowerCase()) ? evidence.usage : undefined,
      owners: read.objectIds.has(objectId) ? { read: true, addresses: evidence.owners?.get(objectId) ?? null } : { read: false },
    };
    enriched.set(key, withEvidence(f, input.previous.get(key), found, input));
  }
  return enriched;
}

/** One finding judged with its evidence (usage, owners), or with what the last scan (`before`) knew where this one read none. */
export function withEvidence(f: Finding, before: Finding | undefined, evidence: FindingEvidence, options: EnrichOptions): Finding {
  const usage: CredentialUsage | null = !hasUsage(f)
    ? null
    : evidence.usage
      ? judgeUsage(f, evidence.usage, options.unusedAfterDays, options.nowMs)
      : (before?.usage ?? { kind: 'unknown', reason: 'not read yet; Vigil reads usage on the next full scan' });
  const owners = evidence.owners.read ? evidence.owners.addresses : (before?.impact?.owners ?? null);
  const impact = blastRadiusOf(f, options.vaultEntries, owners);
  const unused = usage?.kind === 'unused';
  // Nothing breaks when an unused credential lapses: it keeps its finding, at the lowest severity that asks for a look.
  const severity = unused && !f.overlap && (f.status === 'expiring' || f.status === 'expired') ? 'low' : f.severity;
  const judged: Finding = { ...f, usage, impact, severity, hygiene: withDerived(f, unused) };
  return { ...judged, advice: adviseOn(judged, { usage, impact, federated: f.federated }) };
}

/** The read's hygiene items plus the one the finding itself shows: an expired credential replaced or unused, still on the app. */
function withDerived(f: Finding, unused: boolean): HygieneItem[] {
  const kept = f.hygiene.filter((h) => !derivedChecks.includes(h.check));
  const leftOver = f.status === 'stale' || (f.status === 'expired' && (f.overlap || unused));
  if (!leftOver || f.subjectKind === 'vaultSecret') return kept;
  const why = f.overlap ? 'a newer one replaced it' : 'nothing signed in with it';
  return [
    ...kept,
    { check: 'expiredLeftOnApp', reason: `It expired on ${f.endDateTime.slice(0, 10)} and ${why}, yet it is still on the app: remove it.` },
  ];
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** The apps (by app id) whose usage, and the applications (by object id) whose owners, these findings ask for. */
function evidenceOf(findings: readonly Finding[]): { appIds: string[]; objectIds: string[] } {
  return {
    appIds: unique(findings.filter(hasUsage).map((f) => f.appId!.toLowerCase())),
    objectIds: unique(findings.filter(wantsOwners).map((f) => f.objectId.toLowerCase())),
  };
}

/** The apps these findings ask usage and owners for: a full read's page, for `ScanIntelligence.anticipate`. */
export function evidenceAsked(findings: readonly Finding[]): { usageAppIds: string[]; ownerObjectIds: string[] } {
  const { appIds, objectIds } = evidenceOf(findings);
  return { usageAppIds: appIds, ownerObjectIds: objectIds };
}
