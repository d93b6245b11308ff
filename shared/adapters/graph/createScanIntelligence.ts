import type { CloudName } from '../../cloud/cloudEndpoints.js';
import type { CredentialEvidence, IntelligenceContext, ScanIntelligence } from '../../intelligence/ScanIntelligence.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher } from './createPageFetcher.js';
import type { GraphConnection } from './createDirectoryPager.js';
import { readFederatedApps, readOwners } from './readDirectoryExtras.js';
import { readTenantPolicies } from './readTenantPolicies.js';
import { readUsageReport } from './readUsageReport.js';
import { createRequestPacer } from './requestPacer.js';

export interface ScanIntelligenceOptions {
  connect(): Promise<GraphConnection>;
  cloud: CloudName;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
}

const cloudNamesForPeople: Record<CloudName, string> = {
  global: 'the global cloud',
  usgov: 'US Government',
  usgovdod: 'US Government DoD',
  china: 'China (21Vianet)',
};

/**
 * The scan's reads beside the directory, through the tenant's Graph client with the scan's retries. They
 * select no keyCredentials, so Graph's 150-a-minute limit does not bind them; they are paced under the
 * resource-unit limit instead. The usage report is a global-cloud feature: elsewhere it is not asked for.
 */
export function createScanIntelligence(options: ScanIntelligenceOptions): ScanIntelligence {
  let fetcher: PageFetcher | undefined;
  const connected = async (): Promise<{ fetcher: PageFetcher; origin: string } | { reason: string }> => {
    const connection = await options.connect();
    if (!connection.ok) return { reason: connection.failure.reason };
    const pacer = createRequestPacer({ limit: 1000, windowMs: 10_000, nowMs: options.nowMs, sleep: options.sleep });
    fetcher ??= createPageFetcher(connection.graph, { pacer, sleep: options.sleep, budget: defaultRetryBudget });
    return { fetcher, origin: connection.origin };
  };
  return {
    async context(): Promise<IntelligenceContext> {
      const graph = await connected();
      if ('reason' in graph)
        return { policies: { kind: 'unavailable', reason: graph.reason }, federatedApps: new Set(), federatedUnknown: graph.reason };
      const [policies, federated] = await Promise.all([
        readTenantPolicies(graph.fetcher, graph.origin),
        readFederatedApps(graph.fetcher, graph.origin),
      ]);
      return federated.ok
        ? { policies, federatedApps: federated.ids }
        : { policies, federatedApps: new Set(), federatedUnknown: federated.reason };
    },
    async evidence({ appIds, applicationObjectIds }): Promise<CredentialEvidence> {
      const graph = await connected();
      if ('reason' in graph) return { usage: { kind: 'unavailable', reason: graph.reason }, owners: undefined };
      const usage =
        options.cloud === 'global'
          ? readUsageReport(graph.fetcher, graph.origin, appIds)
          : Promise.resolve({
              kind: 'unavailable' as const,
              reason: `Entra's usage report exists only in the global cloud, and this tenant is in ${cloudNamesForPeople[options.cloud]}`,
            });
      const [read, owners] = await Promise.all([usage, readOwners(graph.fetcher, graph.origin, applicationObjectIds)]);
      return { usage: read, owners };
    },
  };
}
