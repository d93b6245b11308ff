import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { nextVaultHealth } from './nextVaultHealth.js';
import { toVaultFailedEvent, toVaultRecoveredEvent } from './toVaultEvent.js';
import type { VaultCheck, VaultHealth, VaultHealthPolicy } from './VaultHealth.js';
import type { VaultHealthStore } from './InventoryPorts.js';

export interface VaultHealthDeps {
  store: VaultHealthStore;
  events: EventPublisher;
  policy: VaultHealthPolicy;
  homeTenantId: string;
}

/** Two planners recording at once: re-read and judge again this many times before giving up. */
const MAX_CONFLICTS = 5;

/**
 * Records what a planner's listings found, vault by vault, and tells people what changed. Both the
 * refresh planner and the scan planner list every vault each hour and record here: one health per
 * vault, whichever listed it. The alert leaves before the row is saved, so a failed save repeats it
 * rather than loses it; its dedupe key is the same situation's, so no route hears it twice.
 */
export async function recordVaultChecks(deps: VaultHealthDeps, checks: readonly VaultCheck[], now: DateTime): Promise<VaultHealth[]> {
  return Promise.all(checks.map((check) => recordOne(deps, check, now)));
}

async function recordOne(deps: VaultHealthDeps, check: VaultCheck, now: DateTime): Promise<VaultHealth> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await deps.store.read(check.vaultUrl);
    const previous = stored.health;
    const { health, notice } = nextVaultHealth(previous, check, now, deps.policy);
    if (notice === 'failed' && health.status === 'failing') await deps.events.publish([toVaultFailedEvent(health, deps.homeTenantId, now)]);
    if (notice === 'recovered' && previous?.status === 'failing')
      await deps.events.publish([toVaultRecoveredEvent(previous, deps.homeTenantId, now)]);
    if (await deps.store.write(health, stored.version)) return health;
    if (attempt >= MAX_CONFLICTS) throw new Error(`vault health of ${check.vaultUrl} kept changing under ${MAX_CONFLICTS} writes`);
  }
}
