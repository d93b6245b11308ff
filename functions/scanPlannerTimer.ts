import { DateTime } from 'luxon';
import { toQueueMessage } from '../shared/adapters/storage/createQueueClient.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { refreshVaultIndex } from '../shared/scanner/refreshVaultIndex.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const PARALLEL_SENDS = 16;

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
    const queue = runtime.queue(queueNames.scan);
    await queue.createIfNotExists();
    // A few sends at a time: a thousand tenants queue in well under a second, without a thousand open requests.
    for (let i = 0; i < scanner.tenants.length; i += PARALLEL_SENDS) {
      await Promise.all(
        scanner.tenants.slice(i, i + PARALLEL_SENDS).map((tenant) => queue.sendMessage(toQueueMessage({ tenantId: tenant.tenantId }))),
      );
    }
    context.log(`scan planned: ${scanner.tenants.length} tenant(s) queued, ${vaults.length} vault(s) indexed`);
    await reportRun(runtime, 'scanPlanner', 'completed', (line) => context.warn(line));
  },
};
