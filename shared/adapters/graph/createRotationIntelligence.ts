import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { credentialRulesOf } from '../../intelligence/AppPolicy.js';
import type { AppPolicyReader, KeyUsageReader } from '../../rotation/RotationPorts.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher } from './createPageFetcher.js';
import { appPolicyName, appPolicySchema, tenantPolicySchema, toPolicyRestrictions, toTenantDefault } from './graphPolicies.js';
import { readPages } from './readPages.js';
import { policyReadPermission } from './readTenantPolicies.js';
import { readKeyUsage } from './readUsageReport.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import { createSlidingWindowBudget } from '../../helpers/createSlidingWindowBudget.js';

export interface RotationGraph {
  /** Vigil's log, where createPageFetcher leaves the trace of a request Vigil could not make (vigilFault). */
  vigilFaultLog: VigilFaultLog;
  /** The Graph client for a tenant Vigil rotates in, or nothing. */
  graphFor(tenantId: string): Client | undefined;
  /** Vigil's home Graph endpoint (`https://graph.microsoft.com`). */
  origin: string;
  /** The usage report exists only in the global cloud. */
  usageReport: 'available' | { unavailableBecause: string };
  sleep: (ms: number) => Promise<void>;
}

const nameSchema = z.object({ displayName: z.string().nullish() });

/**
 * What a rotation asks Graph beyond the app's secrets: the app management policy that governs the app (its
 * assigned policy, else the enabled tenant default; two requests), and the last sign-in with the old key
 * (`keyId eq`, as the report documents) with the resource it was for, by name.
 */
export function createRotationIntelligence(graph: RotationGraph): AppPolicyReader & KeyUsageReader {
  const fetchers = new Map<string, PageFetcher>();
  const fetcherFor = (tenantId: string): PageFetcher | undefined => {
    const client = graph.graphFor(tenantId);
    if (!client) return undefined;
    const fetcher =
      fetchers.get(tenantId) ??
      createPageFetcher(client, {
        pacer: createSlidingWindowBudget(1000, 10_000),
        sleep: graph.sleep,
        budget: defaultRetryBudget,
        vigilFaultLog: graph.vigilFaultLog,
      });
    fetchers.set(tenantId, fetcher);
    return fetcher;
  };
  return {
    async rulesFor(tenantId, app) {
      const fetcher = fetcherFor(tenantId);
      if (!fetcher) return { kind: 'unknown', reason: `Vigil has no access to tenant ${tenantId}` };
      const fallback = await fetcher.get(`${graph.origin}/v1.0/policies/defaultAppManagementPolicy`);
      const assigned = await readPages(
        fetcher,
        graph.origin,
        `${graph.origin}/v1.0/applications/${encodeURIComponent(app.objectId)}/appManagementPolicies`,
      );
      if (fallback.kind !== 'ok' || !assigned.ok) {
        const status = fallback.kind === 'failed' ? fallback.status : assigned.ok ? undefined : assigned.failure.status;
        return {
          kind: 'unknown',
          reason:
            status === 403
              ? `Vigil may not read the app management policies (grant ${policyReadPermission}); Graph decides at addPassword`
              : 'the app management policies could not be read; Graph decides at addPassword',
        };
      }
      const tenantDefault = tenantPolicySchema.safeParse(fallback.body);
      const policies = assigned.items.flatMap((item) => {
        const parsed = appPolicySchema.safeParse(item);
        return parsed.success && parsed.data.isEnabled ? [toPolicyRestrictions(appPolicyName(parsed.data), parsed.data.restrictions)] : [];
      });
      const governing = policies[0] ?? (tenantDefault.success ? toTenantDefault(tenantDefault.data) : null);
      return { kind: 'read', rules: credentialRulesOf(governing, app.createdDateTime) };
    },
    async lastUse(tenantId, keyId) {
      if (graph.usageReport !== 'available') return { kind: 'unknown', reason: graph.usageReport.unavailableBecause };
      const fetcher = fetcherFor(tenantId);
      if (!fetcher) return { kind: 'unknown', reason: `Vigil has no access to tenant ${tenantId}` };
      const usage = await readKeyUsage(fetcher, graph.origin, keyId);
      if (usage.kind === 'unavailable') return { kind: 'unknown', reason: usage.reason };
      const record = usage.byKeyId.get(keyId.toLowerCase());
      if (!record?.lastSignIn) return { kind: 'read', lastSignIn: null, resource: null };
      return {
        kind: 'read',
        lastSignIn: record.lastSignIn,
        resource: record.resourceId ? await resourceName(fetcher, graph.origin, record.resourceId) : null,
      };
    },
  };
}

/** "Microsoft Graph" for `00000003-…`: the resource's service principal in the tenant, else its app id. */
async function resourceName(fetcher: PageFetcher, origin: string, appId: string): Promise<string> {
  const found = await fetcher.get(`${origin}/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')?$select=displayName`);
  const parsed = found.kind === 'ok' ? nameSchema.safeParse(found.body) : undefined;
  return parsed?.success && parsed.data.displayName ? parsed.data.displayName : appId;
}
