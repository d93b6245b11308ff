import { DateTime } from 'luxon';
import { refreshVaultIndex } from '../shared/scanner/refreshVaultIndex.js';
import { enqueueScans } from '../shared/scanner/requestScans.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Plans the expiry scan: indexes the watched vaults' secrets (for vault copies and expiring secrets),
 * then queues one message per tenant, so tenants are scanned in parallel and one failing never stops
 * the others. A late or repeated run only queues scans that the tenant lease keeps from overlapping.
 */
export const scanPlannerTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'scanPlannerTimer',
  schedule: '%VIGIL_SCAN_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('scanPlannerTimer is running late; one run covers the missed ones.');
    const { scanner, settings } = runtime;
    const vaults = await refreshVaultIndex(
      runtime.vaults,
      scanner.vaultIndex,
      settings.VIGIL_TENANT_ID,
      scanner.vaultHealth,
      DateTime.utc(),
    );
    for (const v of vaults)
      if (v.outcome.kind === 'unchecked') context.warn(`could not index vault ${v.vaultUrl}; its last index is kept: ${v.outcome.reason}`);
    const sent = await enqueueScans(
      runtime.scans.queue,
      scanner.tenants.map((t) => t.tenantId),
    );
    // A send that fails fails the run, so the host records it; the next run queues every tenant again.
    if (sent.failure) throw new Error(`could not queue every tenant's scan (${sent.queued.length} queued): ${sent.failure}`);
    context.log(`scan planned: ${scanner.tenants.length} tenant(s) queued, ${vaults.length} vault(s) indexed`);
    await reportRun(runtime, 'scanPlanner', 'completed', (line) => context.warn(line));
  },
};
