import { DateTime } from 'luxon';
import { z } from 'zod';
import { scanTenant } from '../shared/scanner/scanTenant.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const messageSchema = z.object({ tenantId: z.string().min(1) });

/**
 * Scans one tenant per message. A tenant that cannot be scanned is an outcome (recorded, `scan.failed`
 * published), not an exception; only a bug or unreachable storage throws, and the host retries.
 */
export const scanTenantQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'scanTenantQueue',
  queueName: queueNames.scan,
  async handler(message, context, runtime) {
    const parsed = messageSchema.safeParse(message);
    const tenant = parsed.success
      ? runtime.scanner.tenants.find((t) => t.tenantId.toLowerCase() === parsed.data.tenantId.toLowerCase())
      : undefined;
    if (!tenant) {
      // Retrying cannot help a message for a tenant no longer configured: drop it, loudly.
      context.warn(`ignored a scan message for a tenant that is not in VIGIL_TENANTS: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const { target, deps } = runtime.scanner.scanOf(tenant);
    const outcome = await scanTenant(target, deps, runtime.scanner.policy, DateTime.utc());
    switch (outcome.kind) {
      case 'checked':
        context.log(
          `scanned ${tenant.displayName} (${outcome.mode}${outcome.resynced ? ', delta link refused, resynced' : ''}): ${outcome.applications} apps, ${outcome.servicePrincipals} service principals, ${outcome.findings} findings, ${outcome.events} events`,
        );
        break;
      case 'unchecked':
        if (outcome.failure.code === 'authentication') runtime.scanner.clients.forget(tenant.tenantId);
        context.warn(
          `could not scan ${tenant.displayName}: ${outcome.failure.reason}${outcome.failure.missingPermission ? ` (missing ${outcome.failure.missingPermission})` : ''}; ${outcome.keptFindings} earlier findings kept`,
        );
        break;
      case 'busy':
        context.log(`${tenant.displayName} is being scanned by another worker until ${outcome.until}; skipped`);
        break;
    }
  },
};
