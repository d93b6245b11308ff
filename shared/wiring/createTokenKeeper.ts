import type { TokenCredential } from '@azure/identity';
import { createCertificateCache, type ReadCertificate } from '../tokens/createCertificateCache.js';
import type { TableClient } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import { createTokenEndpoint } from '../adapters/entra/createTokenEndpoint.js';
import type { Clock } from '../adapters/entra/Clock.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
import { createTokenVault } from '../adapters/keyVault/createTokenVault.js';
import { createVaultBudget, vaultBudgetPolicy } from '../adapters/keyVault/vaultBudgetPolicy.js';
import { createConnectionTable } from '../adapters/storage/connectionTable.js';
import { createRefreshQueue } from '../adapters/storage/createRefreshQueue.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { clientSecretFindingsOf, type FindingsOfApp } from '../intelligence/clientSecretFindings.js';
import type { ClientSecretFindings } from '../tokens/ConnectionCredentialFacts.js';
import type { VaultHealthRecorder } from '../inventory/InventoryPorts.js';
import type { Settings } from '../settings/settingsSchema.js';
import type { ConnectionStateStore, LeaseStore, RefreshQueue, TokenVault, TokenEndpoint } from '../tokens/TokenPorts.js';
import type { PlannerDeps } from '../tokens/scheduleRefreshes.js';
import type { RefreshDeps } from '../tokens/refreshConnection.js';
import { toRefreshPolicy, type RefreshPolicy } from '../tokens/RefreshPolicy.js';
import { realSleep, type Sleep } from '../helpers/sleep.js';
import { resolveCloud } from './resolveCloud.js';

/** The token keeper's collaborators, built once per process so each vault's request budget is shared. */
export interface TokenKeeper {
  readonly stores: readonly TokenVault[];
  readonly tokenEndpoint: TokenEndpoint;
  readonly leases: LeaseStore;
  readonly states: ConnectionStateStore;
  readonly queue: RefreshQueue;
  readonly events: EventPublisher;
  readonly policy: RefreshPolicy;
  readonly sleep: Sleep;
  readonly homeTenantId: string;
  readonly vaultHealth: VaultHealthRecorder;
  readonly clientSecretFindings: ClientSecretFindings;
  /** Certificate credentials read once per secret version, shared by refreshes and sign-ins. */
  readonly readCertificate: ReadCertificate;
}

export function createTokenKeeper(
  settings: Settings,
  credential: TokenCredential,
  io: {
    table: TableClient;
    queue: QueueClient;
    events: EventPublisher;
    vaultHealth: VaultHealthRecorder;
    /** The scanner's findings: a refresh failing on an expired client secret belongs to its finding. */
    findings: FindingsOfApp;
    /** What certificate assertions are dated by; the wall clock unless given (createRuntime's `clock`). */
    clock?: Clock | undefined;
  },
): TokenKeeper {
  const connections = createConnectionTable(io.table);
  return {
    stores: settings.VIGIL_KEY_VAULT_URLS.map((url) =>
      // SDK retries off: the core retries, honouring Retry-After, with waits tests can inject.
      createTokenVault(
        url,
        createSecretClient(url, credential, {
          retryOptions: { maxRetries: 0 },
          additionalPolicies: [{ policy: vaultBudgetPolicy(createVaultBudget()), position: 'perRetry' }],
        }),
      ),
    ),
    tokenEndpoint: createTokenEndpoint({
      loginHost: (cloud) => resolveCloud(settings, cloud).login,
      ...(io.clock ? { clock: io.clock } : {}),
    }),
    leases: connections,
    states: connections,
    queue: createRefreshQueue(io.queue),
    events: io.events,
    policy: toRefreshPolicy(settings),
    sleep: realSleep,
    homeTenantId: settings.VIGIL_TENANT_ID,
    vaultHealth: io.vaultHealth,
    clientSecretFindings: clientSecretFindingsOf(io.findings),
    readCertificate: createCertificateCache(),
  };
}

/** The vault's store, when Vigil watches that vault. */
export function findStore(keeper: TokenKeeper, vaultUrl: string): TokenVault | undefined {
  const wanted = normalise(vaultUrl);
  return keeper.stores.find((s) => normalise(s.vaultUrl) === wanted);
}

export const toPlannerDeps = (k: TokenKeeper): PlannerDeps => ({
  stores: k.stores,
  vaultHealth: k.vaultHealth,
  states: k.states,
  queue: k.queue,
  events: k.events,
  policy: k.policy,
  homeTenantId: k.homeTenantId,
});

export const toRefreshDeps = (k: TokenKeeper, store: TokenVault): RefreshDeps => ({
  store,
  tokenEndpoint: k.tokenEndpoint,
  leases: k.leases,
  events: k.events,
  policy: k.policy,
  sleep: k.sleep,
  homeTenantId: k.homeTenantId,
  clientSecretFindings: k.clientSecretFindings,
  readCertificate: k.readCertificate,
});

const normalise = (url: string) => new URL(url).origin.toLowerCase();
