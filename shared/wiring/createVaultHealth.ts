import type { TableClient } from '@azure/data-tables';
import { Duration } from 'luxon';
import { createVaultHealthTable } from '../adapters/storage/vaultHealthTable.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { recordVaultChecks } from '../inventory/recordVaultChecks.js';
import type { VaultHealthRecorder, VaultHealthStore } from '../inventory/InventoryPorts.js';
import type { Settings } from '../settings/settingsSchema.js';

/** The one vault-health source: what the refresh and scan planners record, and the status page and inventory read. */
export interface VaultHealthSource extends VaultHealthRecorder {
  readonly store: VaultHealthStore;
}

export function createVaultHealth(settings: Settings, table: TableClient, events: EventPublisher): VaultHealthSource {
  const store = createVaultHealthTable(table);
  const deps = {
    store,
    events,
    // The same transient-vs-persistent discipline as the token keeper's refreshes.
    policy: {
      transientAlertAttempts: settings.VIGIL_TRANSIENT_ALERT_ATTEMPTS,
      transientAlertSpan: Duration.fromObject({ hours: settings.VIGIL_TRANSIENT_ALERT_HOURS }),
    },
    homeTenantId: settings.VIGIL_TENANT_ID,
  };
  return { store, record: (checks, now) => recordVaultChecks(deps, checks, now) };
}
