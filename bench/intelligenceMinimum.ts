import { hasUsage, wantsOwners } from '../shared/intelligence/enrichFindings.js';
import type { Finding } from '../shared/scanner/Finding.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import { intelligenceRequests, type Collection, type IntelligenceReads } from './scanLimits.js';

/**
 * The intelligence reads counted in the fewest requests, from what the scan judged (issue 16): on a full
 * read the tenant's policies and federated apps, then evidence for every finding; none on a delta, which
 * judges with the policies and federated apps the full read kept on the scan state.
 */
export async function intelligenceMinimum(
  runtime: Runtime,
  tenantId: string,
  full: boolean,
  size: { tenantApplications: number; reportRows: number },
): Promise<IntelligenceReads> {
  if (!full)
    return { requests: 0, chain: 0, evidence: [], how: 'none: a delta judges with the policies and federated apps kept on the scan state' };
  const findings = await runtime.scanner.findings.list(tenantId);
  const unique = (ids: Array<string | null>) => new Set(ids.filter((id): id is string => id !== null)).size;
  const usage = findings.filter(hasUsage);
  // The collection each finding's subject was read from: a finding is judged, and asks, on its object's page.
  const collectionOf: Partial<Record<Finding['subjectKind'], Collection>> = {
    application: 'applications',
    servicePrincipal: 'servicePrincipals',
  };
  const usageIn = [...new Set(usage.map((f) => collectionOf[f.subjectKind]))].filter((c): c is Collection => c !== undefined);
  return intelligenceRequests({
    enabledPolicies: 0,
    federatedApps: 0,
    usageApps: unique(usage.map((f) => f.appId)),
    usageIn,
    ownerApps: unique(findings.filter(wantsOwners).map((f) => f.objectId)),
    ...size,
  });
}
