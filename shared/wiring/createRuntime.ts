import type { TokenCredential } from '@azure/identity';
import type { TableClient } from '@azure/data-tables';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { QueueClient } from '@azure/storage-queue';
import { createQueueClient } from '../adapters/storage/createQueueClient.js';
import { createScanQueue } from '../adapters/storage/createScanQueue.js';
import type { ScanRequestDeps } from '../scanner/requestScans.js';
import type { DirectoryReader, VaultReader, InventoryStore } from '../inventory/InventoryPorts.js';
import { createCredential } from '../adapters/azure/createCredential.js';
import { createDirectoryReader } from '../adapters/graph/createDirectoryReader.js';
import { withSharedToken } from '../adapters/azure/withSharedToken.js';
import { createGraphClient } from '../adapters/graph/createGraphClient.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
import { createVaultReader } from '../adapters/keyVault/createVaultReader.js';
import type { StorageTarget } from '../adapters/storage/StorageTarget.js';
import { createTableClient } from '../adapters/storage/createTableClient.js';
import { createTableEventLog } from '../adapters/storage/tableEventLog.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { createInventoryTable } from '../adapters/storage/inventoryTable.js';
import type { Settings } from '../settings/settingsSchema.js';
import { createNotifications, type Notifications } from './createNotifications.js';
import { resolveCloud } from './resolveCloud.js';
import { createExpiryScanner, type ExpiryScanner } from './createExpiryScanner.js';
import { createTokenKeeper, type TokenKeeper } from './createTokenKeeper.js';
import { createVaultHealth, type VaultHealthSource } from './createVaultHealth.js';
import { createApiAccess, type ApiAccess } from './createApiAccess.js';
import { createRotationDeps } from './createRotationDeps.js';
import { queueNames } from '../adapters/storage/queueNames.js';
import { tableNames, type TableRole } from '../adapters/storage/tableNames.js';
import type { RotationDeps } from '../rotation/RotationPorts.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { createVigilFaultLog } from '../adapters/http/createVigilFaultLog.js';
import type { TelemetryExporters } from '../adapters/telemetry/createOpenTelemetry.js';
import { createTelemetry } from './createTelemetry.js';
import { withEventLog } from './withEventLog.js';
import { createRunTable, type RunTable } from '../adapters/storage/runTable.js';
import { withReconnectFix } from '../signIn/addReconnectFix.js';
import { toReconnectLinks } from '../signIn/toReconnectLinks.js';
import type { ReconnectLinks } from '../notifications/ReconnectPorts.js';
import type { Clock } from '../adapters/entra/Clock.js';
import { createSignIn, createSignInLinks, type SignIn } from './createSignIn.js';

/** Everything the functions need, built once per process from the settings: the one place adapters meet the core. */
export interface Runtime {
  readonly settings: Settings;
  readonly credential: TokenCredential;
  readonly homeGraph: Client;
  readonly vaults: VaultReader[];
  readonly directories: DirectoryReader[];
  /** The latest inventory (`inventoryTimer` writes it, `GET /api/inventory` reads it). */
  readonly inventory: InventoryStore;
  table(name: TableRole): TableClient;
  queue(name: string): QueueClient;
  /** Where producers publish events; the notification pipeline delivers them from here. */
  readonly events: EventPublisher;
  /** The notification pipeline's stores and delivery side (outbox queue, snooze and log APIs). */
  readonly notifications: Notifications;
  /** The token keeper's vaults, token endpoint, state, leases and refresh queue. */
  readonly tokenKeeper: TokenKeeper;
  /** The expiry scanner's tenants, policy, findings, scan state and per-tenant Graph clients. */
  readonly scanner: ExpiryScanner;
  /** Scans on request (`POST /api/scans`, a completed rotation): the watched tenants and the planner's queue. */
  readonly scans: ScanRequestDeps;
  /** API access checks (`functions/authorize.ts`) and the audit log. */
  readonly api: ApiAccess;
  /** The rotation state machine's Graph, Key Vault, token probe, store and queue. */
  readonly rotation: RotationDeps;
  /** Each watched vault's listing health, recorded by both planners. */
  readonly vaultHealth: VaultHealthSource;
  /** Metrics, dependencies and structured logs (shared/telemetry): Azure Monitor in Azure, memory locally. */
  readonly telemetry: Telemetry;
  /** When each producer last completed a run (the health endpoint). */
  readonly runs: RunTable;
  /** Connect and reconnect by sign-in (links, flow, pages); undefined while VIGIL_PUBLIC_BASE_URL is unset. */
  readonly signIn: SignIn | undefined;
}

export interface RuntimeOptions {
  /** Where telemetry goes instead of Application Insights: the dev host and tests collect it in memory. */
  telemetryExporters?: TelemetryExporters;
  /**
   * What Vigil's requests to Entra are dated by (a certificate's assertion, an ID token's times): the
   * wall clock unless given. Tests that move the local cloud's clock pass it, as Entra's own would agree.
   */
  clock?: Clock;
}

export function createRuntime(settings: Settings, options: RuntimeOptions = {}): Runtime {
  const home = resolveCloud(settings, settings.VIGIL_CLOUD);
  const credential = createCredential(
    { tenantId: settings.VIGIL_TENANT_ID, clientId: settings.VIGIL_CLIENT_ID, clientSecret: settings.VIGIL_CLIENT_SECRET },
    home,
  );
  // First, so the Azure SDK clients below trace through it.
  const telemetry = createTelemetry(settings, credential, options.telemetryExporters);
  // Vigil's own tokens, kept once (withSharedToken) for every Graph client that signs in as Vigil: the home
  // Graph, the mail sender and the scans of tenants read as Vigil itself (managedIdentity).
  const sharedCredential = withSharedToken(credential);
  const homeGraph = createGraphClient(sharedCredential, home);
  const storage = storageTarget(settings, credential);
  const tables = new Map<string, TableClient>();
  const table = (name: TableRole): TableClient => {
    const existing = tables.get(name);
    if (existing) return existing;
    const client = createTableClient(storage, tableNames[name]);
    tables.set(name, client);
    return client;
  };
  const queue = (name: string): QueueClient => createQueueClient(storage, name);
  // Delivery mints reconnect links with the sign-in side, which needs the token keeper, which publishes
  // through the notifications built here: the link maker is bound once the sign-in side exists below.
  const late: { reconnect?: ReconnectLinks | undefined } = {};
  const notifications = createNotifications({
    settings,
    telemetry,
    credential: sharedCredential,
    home,
    homeGraph,
    eventLog: createTableEventLog(table('events')),
    table,
    queue,
    reconnect: async (event, now) => late.reconnect?.(event, now),
    ...(options.clock ? { nowMs: options.clock } : {}),
  });
  const events = withEventLog(notifications.events, telemetry);
  const api = createApiAccess(settings, home.login, { audit: table('audit'), formKeys: table('formKeys') });
  const vaultHealth = createVaultHealth(settings, table('vaultHealth'), events);
  // One per process: a fault the scanner's, the rotation's and the sign-in's requests meet (a bad Graph or login host
  // setting) leaves its trace at most once an hour, not once for each.
  const vigilFaultLog = createVigilFaultLog((line) => telemetry.log('warn', line, {}));
  const scanner = createExpiryScanner(settings, sharedCredential, {
    table,
    events,
    vaultHealth,
    vigilFaultLog,
  });
  const scans: ScanRequestDeps = {
    tenants: scanner.tenants,
    tenantOf: scanner.tenantOf,
    queue: createScanQueue(queue(queueNames.scan)),
    audit: api.audit,
  };
  // Alerts a new sign-in fixes say how to reconnect; the link itself is minted as each message is sent.
  const links = createSignInLinks(settings, table('signIns'), scanner);
  const tokenKeeper = createTokenKeeper(settings, credential, {
    table: table('connections'),
    queue: queue(queueNames.refresh),
    events: links ? withReconnectFix(events) : events,
    vaultHealth,
    findings: scanner.findings,
    clock: options.clock,
  });
  const signIn = links && createSignIn(settings, links, tokenKeeper, { events, vigilFaultLog }, options.clock);
  late.reconnect = signIn && toReconnectLinks(signIn.requests);
  return {
    settings,
    credential,
    homeGraph,
    vaults: settings.VIGIL_KEY_VAULT_URLS.map((url) => createVaultReader(url, createSecretClient(url, credential))),
    directories: [createDirectoryReader(settings.VIGIL_TENANT_ID, homeGraph)],
    inventory: createInventoryTable(table('inventory')),
    table,
    queue,
    events,
    notifications,
    tokenKeeper,
    scanner,
    scans,
    api,
    rotation: createRotationDeps(settings, {
      credential,
      homeGraph,
      home,
      table: table('rotations'),
      queue: queue(queueNames.rotation),
      events,
      audit: api.audit,
      scans,
      vaultIndex: scanner.vaultIndex,
      vigilFaultLog,
    }),
    vaultHealth,
    telemetry,
    runs: createRunTable(table('runs')),
    signIn,
  };
}

function storageTarget(settings: Settings, credential: TokenCredential): StorageTarget {
  if (settings.AzureWebJobsStorage) return { kind: 'connectionString', connectionString: settings.AzureWebJobsStorage };
  const account = settings.AzureWebJobsStorage__accountName!;
  const suffix = resolveCloud(settings, settings.VIGIL_CLOUD).storageSuffix;
  return {
    kind: 'identity',
    queueServiceUrl: `https://${account}.queue.${suffix}`,
    tableServiceUrl: `https://${account}.table.${suffix}`,
    credential,
  };
}
