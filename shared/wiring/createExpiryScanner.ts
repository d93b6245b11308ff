import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { performance } from 'node:perf_hooks';
import { createDirectoryPager } from '../adapters/graph/createDirectoryPager.js';
import type { VigilFaultLog } from '../adapters/http/createVigilFaultLog.js';
import { createScanIntelligence } from '../adapters/graph/createScanIntelligence.js';
import { createFindingTable, type FindingTable } from '../adapters/storage/findingTable.js';
import { createScanStateTable, type ScanStateTable } from '../adapters/storage/scanStateTable.js';
import { createUpcomingTable } from '../adapters/storage/upcomingTable.js';
import { createVaultIndexTable, type VaultIndexTable } from '../adapters/storage/vaultIndexTable.js';
import { cloudEndpoints } from '../cloud/cloudEndpoints.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { VaultHealthRecorder } from '../inventory/InventoryPorts.js';
import type { UpcomingStore } from '../scanner/ScanPorts.js';
import type { ScanPolicy } from '../scanner/ScanPolicy.js';
import type { ScanDependencies } from '../scanner/scanTenant.js';
import type { ScanTarget } from '../scanner/ScanTarget.js';
import type { Settings } from '../settings/settingsSchema.js';
import { scanTargets, tenantLookup, type TenantConfig } from '../settings/tenantsSetting.js';
import { createTenantClients, type TenantClients } from './createTenantClients.js';
import { realSleep } from '../helpers/sleep.js';
import type { WindowClock } from '../helpers/createSlidingWindowBudget.js';
import type { ScanTable } from '../adapters/storage/tableNames.js';

/**
 * A first scan announces its findings that can wait one by one up to this many, and summarises them
 * beyond (ScanPolicy): a tenant with a handful gets a notice each, one with thousands a baseline.
 */
const FIRST_SCAN_ITEMS = 25;

/** Injectable for tests and benchmarks: Retry-After waits, and the clock Graph's pacing windows are measured on. */
export interface ScanTiming {
  sleep?: (ms: number) => Promise<void>;
  clock?: WindowClock;
}

/** The expiry scanner's tenants, policy, stores and per-tenant Graph clients, built once per process. */
export interface ExpiryScanner {
  readonly tenants: readonly TenantConfig[];
  /** The configured tenant with this id (any case), found without a pass over all of them. */
  readonly tenantOf: (tenantId: string) => TenantConfig | undefined;
  readonly policy: ScanPolicy;
  readonly findings: FindingTable;
  readonly states: ScanStateTable;
  readonly vaultIndex: VaultIndexTable;
  readonly upcoming: UpcomingStore;
  /** Where the scan planner records each vault's listing (shared with the refresh planner). */
  readonly vaultHealth: VaultHealthRecorder;
  readonly clients: TenantClients;
  /** What `scanTenant` needs for one tenant. */
  scanOf(tenant: TenantConfig, timing?: ScanTiming): { target: ScanTarget; deps: ScanDependencies };
}

export function createExpiryScanner(
  settings: Settings,
  credential: TokenCredential,
  io: { table: (name: ScanTable) => TableClient; events: EventPublisher; vaultHealth: VaultHealthRecorder; vigilFaultLog: VigilFaultLog },
): ExpiryScanner {
  const findings = createFindingTable({ tenants: io.table('findings'), index: io.table('findingIndex'), byApp: io.table('findingsByApp') });
  const states = createScanStateTable(io.table('scanState'));
  const vaultIndex = createVaultIndexTable(io.table('vaultIndex'));
  const upcoming = createUpcomingTable(io.table('upcoming'));
  const clients = createTenantClients(settings, credential);
  const vaultHome = { tenantId: settings.VIGIL_TENANT_ID.toLowerCase(), portal: cloudEndpoints[settings.VIGIL_CLOUD].portal };
  const tenants = scanTargets(settings);
  // The process's one log (createRuntime), with no tenant: a fault every tenant's requests meet (a bad Graph host
  // setting) leaves its trace at most once an hour, whichever tenant's read met it first.
  const { vigilFaultLog } = io;
  return {
    tenants,
    tenantOf: tenantLookup(tenants),
    policy: {
      thresholdsDays: settings.VIGIL_EXPIRY_THRESHOLDS_DAYS,
      staleAfterDays: settings.VIGIL_STALE_AFTER_DAYS,
      fullScanEveryHours: settings.VIGIL_FULL_SCAN_EVERY_HOURS,
      firstScanItems: FIRST_SCAN_ITEMS,
      unusedAfterDays: settings.VIGIL_UNUSED_AFTER_DAYS,
      secretMaxLifetimeDays: settings.VIGIL_SECRET_MAX_LIFETIME_DAYS,
    },
    findings,
    states,
    vaultIndex,
    upcoming,
    vaultHealth: io.vaultHealth,
    clients,
    scanOf(tenant, timing = {}) {
      const started = performance.now();
      // Connecting (reading the tenant's secret, signing in) overlaps with the scan's first storage reads.
      clients.connect(tenant).catch(() => undefined);
      const graph = {
        connect: () => clients.connect(tenant),
        sleep: timing.sleep ?? realSleep,
        ...(timing.clock && { clock: timing.clock }),
        vigilFaultLog,
      };
      const pager = createDirectoryPager(graph);
      const intel = createScanIntelligence({ ...graph, cloud: tenant.cloud });
      const target: ScanTarget = {
        tenantId: tenant.tenantId.toLowerCase(),
        displayName: tenant.displayName,
        portal: cloudEndpoints[tenant.cloud].portal,
        vaultHome,
        routing: tenant.routing,
      };
      return {
        target,
        deps: {
          pager,
          findings,
          upcoming,
          state: states,
          vaultIndex,
          intel,
          events: io.events,
          elapsedMs: () => performance.now() - started,
        },
      };
    },
  };
}
