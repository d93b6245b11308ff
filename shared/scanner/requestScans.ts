import type { DateTime } from 'luxon';
import type { AuditActor, AuditLog } from '../audit/AuditLog.js';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import { describeError } from '../helpers/describeError.js';
import type { TenantConfig } from '../settings/tenantsSetting.js';
import type { ScanRequest } from './scanRequestSchema.js';
import type { ScanQueue } from './ScanPorts.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface ScanRequestDeps {
  /** The tenants Vigil watches (VIGIL_TENANTS). */
  tenants: readonly TenantConfig[];
  /** The watched tenant an id names, in any case (the scanner's `tenantOf`). */
  tenantOf(tenantId: string): TenantConfig | undefined;
  queue: ScanQueue;
  audit: AuditLog;
}

export interface QueuedScan {
  tenantId: string;
  displayName: string;
}

export type ScanRequestOutcome =
  | { kind: 'queued'; scans: QueuedScan[] }
  | { kind: 'unknownTenant'; tenantId: string }
  /** The queue could not be reached: some scans may have been queued before it failed. */
  | { kind: 'unavailable'; reason: string; scans: QueuedScan[] };

export interface ScanRequestContext {
  actor: AuditActor;
  /** Why, for the audit trail: `api`, or the rotation that changed the tenant's secrets. */
  because: string;
}

/**
 * Queues a scan of one watched tenant or of all of them now, through the planner's queue, so the
 * scanner's tenant lease keeps a scan that is already running from running twice at once. Every
 * request, queued or refused, is a row in the audit trail.
 */
export async function requestScans(
  request: ScanRequest,
  context: ScanRequestContext,
  deps: ScanRequestDeps,
  now: DateTime,
): Promise<ScanRequestOutcome> {
  const outcome = await queueScans(request, deps);
  await deps.audit.record({
    at: toIsoUtc(now),
    actor: context.actor,
    action: 'scan.request',
    outcome: outcome.kind,
    target: request.tenantId ?? 'all',
    reason: [
      context.because,
      'scans' in outcome ? `tenants ${outcome.scans.map((s) => s.tenantId).join(',') || '(none)'}` : undefined,
      outcome.kind === 'unavailable' ? outcome.reason : undefined,
    ]
      .filter(Boolean)
      .join('; '),
  });
  return outcome;
}

async function queueScans(request: ScanRequest, deps: ScanRequestDeps): Promise<ScanRequestOutcome> {
  const named = request.tenantId === undefined ? undefined : deps.tenantOf(request.tenantId);
  if (request.tenantId !== undefined && !named) return { kind: 'unknownTenant', tenantId: request.tenantId };
  const wanted = named ? [named] : deps.tenants;
  const sent = await enqueueScans(
    deps.queue,
    wanted.map((t) => t.tenantId),
  );
  const scans = wanted.filter((t) => sent.queued.includes(t.tenantId)).map((t) => ({ tenantId: t.tenantId, displayName: t.displayName }));
  if (sent.failure) return { kind: 'unavailable', reason: `the scan queue could not be reached (${sent.failure})`, scans };
  return { kind: 'queued', scans };
}

/** Sends at a time: a thousand tenants queue in well under a second, without a thousand open requests. */
const parallelSends = 16;

/**
 * Queues one scan per tenant, a few at a time: what was queued, and the first failure (status and
 * code only) if any send failed. The planner and `requestScans` both send through here.
 */
export async function enqueueScans(queue: ScanQueue, tenantIds: readonly string[]): Promise<{ queued: string[]; failure?: string }> {
  const limit = createConcurrencyLimit(parallelSends);
  const results = await Promise.allSettled(tenantIds.map((id) => limit(() => queue.enqueue(id))));
  const queued = tenantIds.filter((_, n) => results[n]?.status === 'fulfilled');
  const failed = results.find((r) => r.status === 'rejected');
  return failed ? { queued, failure: describeError(failed.reason) } : { queued };
}
