import { DateTime } from 'luxon';
import { asOf } from '../scanner/asOf.js';
import { listFailedRotations } from '../adapters/storage/listFailedRotations.js';
import { listSnoozedFindings } from '../adapters/storage/listSnoozedFindings.js';
import type { DashboardSources } from '../dashboard/DashboardSources.js';
import type { Runtime } from './createRuntime.js';

/** The status page's sources, read from the same tables the producers write. */
export function createDashboardSources(runtime: Runtime): DashboardSources {
  return {
    tenants: runtime.scanner.tenants.map((t) => ({ id: t.tenantId, name: t.displayName, owner: t.routing.owner })),
    vaultUrls: runtime.settings.VIGIL_KEY_VAULT_URLS,
    async findings(query, limit) {
      const page = await runtime.scanner.findings.page(query, { size: limit, nowMs: Date.now() });
      return { findings: page.findings.map((f) => asOf(f, DateTime.utc())), more: page.next !== undefined };
    },
    scanStates: () => runtime.scanner.states.listAll(),
    connections: () => runtime.tokenKeeper.states.list(),
    vaultHealth: () => runtime.vaultHealth.store.list(),
    openRotations: () => runtime.rotation.store.listOpen(),
    failedRotations: () => listFailedRotations(runtime.table('rotations'), new Date(Date.now() - 7 * 86_400_000).toISOString()),
    snoozed: () => listSnoozedFindings(runtime.table('notifyState')),
    deliveries: (limit) => runtime.notifications.log.list({ limit }),
    signInLinks: runtime.signIn !== undefined,
    async poisonDepth() {
      const { queues, poison } = runtime.notifications.watcher;
      const depths = await Promise.all(queues.map((q) => poison.depth(q.queue)));
      return depths.reduce((a, b) => a + b, 0);
    },
  };
}
