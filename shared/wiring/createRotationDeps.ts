import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import type { TableClient } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import type { Client } from '@microsoft/microsoft-graph-client';
import { createTokenProbe } from '../adapters/entra/createTokenProbe.js';
import type { VigilFaultLog } from '../adapters/http/createVigilFaultLog.js';
import { createApplicationCredentials } from '../adapters/graph/createApplicationCredentials.js';
import { createRotationIntelligence } from '../adapters/graph/createRotationIntelligence.js';
import { keyHoldersIn } from '../intelligence/blastRadiusOf.js';
import type { VaultIndexReader } from '../scanner/ScanPorts.js';
import type { ScanRequestDeps } from '../scanner/requestScans.js';
import { createSecretClient } from '../adapters/keyVault/createSecretClient.js';
import { createRotationVault } from '../adapters/keyVault/createRotationVault.js';
import { ensureQueue, toQueueMessage } from '../adapters/storage/createQueueClient.js';
import { createTableRotationStore } from '../adapters/storage/tableRotationStore.js';
import type { AuditLog } from '../audit/AuditLog.js';
import type { CloudEndpoints } from '../cloud/cloudEndpoints.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { RotationDeps } from '../rotation/RotationPorts.js';
import type { RequestContext } from '../rotation/requestRotation.js';
import type { Settings } from '../settings/settingsSchema.js';

/**
 * The rotation collaborators from the settings. Rotation acts in Vigil's home tenant, where its identity
 * owns the apps it may rotate (Application.ReadWrite.OwnedBy).
 */
export function createRotationDeps(
  settings: Settings,
  parts: {
    credential: TokenCredential;
    homeGraph: Client;
    home: CloudEndpoints;
    table: TableClient;
    queue: QueueClient;
    events: EventPublisher;
    audit: AuditLog;
    scans: ScanRequestDeps;
    /** The watched vaults' index, kept by the scan planner: which copies still hold an old secret. */
    vaultIndex: VaultIndexReader;
    /** The process's one log of requests Vigil could not make (createRuntime), shared with the scanner. */
    vigilFaultLog: VigilFaultLog;
  },
): RotationDeps {
  const clients = new Map<string, SecretClient>();
  const clientFor = (vaultUrl: string) => {
    const client = clients.get(vaultUrl) ?? createSecretClient(vaultUrl, parts.credential);
    clients.set(vaultUrl, client);
    return client;
  };
  const queueReady = ensureQueue(parts.queue);
  const graphFor = (tenantId: string) => (tenantId.toLowerCase() === settings.VIGIL_TENANT_ID.toLowerCase() ? parts.homeGraph : undefined);
  const { vigilFaultLog } = parts;
  const intelligence = createRotationIntelligence({
    graphFor,
    origin: new URL(parts.home.graph).origin,
    usageReport:
      settings.VIGIL_CLOUD === 'global'
        ? 'available'
        : { unavailableBecause: `Entra's usage report exists only in the global cloud, and Vigil's home is ${settings.VIGIL_CLOUD}` },
    sleep: (ms) => sleep(ms),
    vigilFaultLog,
  });
  return {
    credentials: createApplicationCredentials(graphFor, vigilFaultLog),
    policies: intelligence,
    usage: intelligence,
    holders: {
      async holdersOf(tenantId, appId, keyId) {
        return keyHoldersIn(await parts.vaultIndex.list(tenantId.toLowerCase()), appId, keyId);
      },
    },
    secrets: createRotationVault(clientFor),
    probe: createTokenProbe(parts.home.login, `${parts.home.graphResource}/.default`, { vigilFaultLog }),
    store: createTableRotationStore(parts.table),
    queue: {
      async enqueue(rotationId) {
        await queueReady();
        await parts.queue.sendMessage(toQueueMessage({ rotationId }));
      },
    },
    events: parts.events,
    audit: parts.audit,
    scans: parts.scans,
    sleep: (ms) => sleep(ms),
    portal: parts.home.portal,
  };
}

/** What a rotation request is checked against, from the settings. */
export function rotationRequestContext(settings: Settings): Omit<RequestContext, 'requester' | 'actor' | 'idempotencyKey'> {
  return {
    tenants: [settings.VIGIL_TENANT_ID],
    vaultUrls: settings.VIGIL_KEY_VAULT_URLS,
    defaults: { lifetimeDays: settings.VIGIL_ROTATION_LIFETIME_DAYS, retireOldAfterHours: settings.VIGIL_ROTATION_GRACE_HOURS },
  };
}
