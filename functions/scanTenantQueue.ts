import { DateTime } from 'luxon';
import { z } from 'zod';
import { severities } from '../shared/events/vigilEvent.js';
import { scanTenant } from '../shared/scanner/scanTenant.js';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { reportRun } from './reportRun.js';
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
    const tenant = parsed.success ? runtime.scanner.tenantOf(parsed.data.tenantId) : undefined;
    if (!tenant) {
      // Retrying cannot help a message for a tenant no longer configured: drop it, loudly.
      context.warn(`ignored a scan message for a tenant that is not in VIGIL_TENANTS: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    const { target, deps } = runtime.scanner.scanOf(tenant);
    // The message's id holds the tenant's lease: a redelivery after a failed try may take it back.
    const messageId = context.triggerMetadata?.['id'];
    const outcome = await scanTenant(
      target,
      deps,
      runtime.scanner.policy,
      DateTime.utc(),
      typeof messageId === 'string' ? messageId : undefined,
    );
    const { telemetry } = runtime;
    const tenantId = tenant.tenantId;
    switch (outcome.kind) {
      case 'checked': {
        telemetry.count('scans', { outcome: 'checked', mode: outcome.mode });
        await reportRun(runtime, 'scan', 'completed', (line) => context.warn(line));
        for (const severity of severities) telemetry.gauge('findings', outcome.counts.bySeverity[severity], { severity, tenantId });
        telemetry.log('info', 'tenant scanned', { tenantId, outcome: 'checked', mode: outcome.mode, findings: outcome.findings });
        context.log(
          `scanned ${tenant.displayName} (${outcome.mode}${outcome.baseline ? ', first scan' : ''}${outcome.resynced ? ', delta link refused, resynced' : ''}): ${outcome.applications} apps, ${outcome.servicePrincipals} service principals, ${outcome.findings} findings, ${outcome.events} events`,
        );
        break;
      }
      case 'unchecked': {
        const reason = outcome.failure.code;
        telemetry.count('scans', { outcome: 'unchecked', reason });
        await reportRun(runtime, 'scan', 'unchecked', (line) => context.warn(line));
        // The home tenant is read as Vigil itself: a refusal there is Vigil's own identity losing access.
        if (tenant.auth.kind === 'managedIdentity' && (reason === 'authentication' || reason === 'forbidden'))
          telemetry.count('identityDenied', { service: 'graph' });
        telemetry.log('warn', 'tenant could not be scanned', {
          tenantId,
          outcome: 'unchecked',
          reason,
          keptFindings: outcome.keptFindings,
        });
        if (outcome.failure.code === 'authentication') runtime.scanner.clients.forget(tenant.tenantId);
        context.warn(
          `could not scan ${tenant.displayName}: ${outcome.failure.reason}${outcome.failure.missingPermission ? ` (missing ${outcome.failure.missingPermission})` : ''}; ${outcome.keptFindings} earlier findings kept`,
        );
        break;
      }
      case 'busy':
        telemetry.count('scans', { outcome: 'busy' });
        await reportRun(runtime, 'scan', 'busy', (line) => context.warn(line));
        context.log(`${tenant.displayName} is being scanned by another worker until ${outcome.until}; skipped`);
        break;
    }
  },
};
