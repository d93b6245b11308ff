import type { VaultSecretSummary } from '../inventory/InventoryPorts.js';
import type { ConnectionUse } from './ScanPorts.js';
import { readConnectionTags } from '../tokens/connectionTags.js';

/**
 * The token connections of one vault listing by the client secret they name (`vigil-client-secret-name`,
 * a secret in the same vault), from tags alone, read as the token keeper reads them. A connection whose
 * tags do not describe one it can refresh names nothing here; the token keeper reports it as misconfigured.
 */
export function connectionUses(vaultUrl: string, secrets: readonly VaultSecretSummary[]): Map<string, ConnectionUse[]> {
  const uses = new Map<string, ConnectionUse[]>();
  for (const s of secrets) {
    const reading = readConnectionTags({ vaultUrl, name: s.name }, s.tags);
    if (reading.kind !== 'connection' || reading.connection.credential.kind !== 'clientSecret') continue;
    const { clientId, downstream, credential } = reading.connection;
    const use: ConnectionUse = { name: s.name, clientId: clientId.toLowerCase(), downstream: downstream ?? null };
    uses.set(credential.secretName, [...(uses.get(credential.secretName) ?? []), use]);
  }
  return uses;
}
