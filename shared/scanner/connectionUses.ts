import type { VaultSecretSummary } from '../inventory/InventoryPorts.js';
import type { ConnectionUse } from './ScanPorts.js';
import { CONNECTION_KIND, connectionTagNames } from '../tokens/connectionTags.js';

/**
 * The token connections of one vault listing by the client secret they name (`vigil-client-secret-name`,
 * a secret in the same vault), from tags alone. A connection whose tags are incomplete names nothing here;
 * the token keeper reports it as misconfigured.
 */
export function connectionUses(secrets: readonly VaultSecretSummary[]): Map<string, ConnectionUse[]> {
  const uses = new Map<string, ConnectionUse[]>();
  for (const s of secrets) {
    const clientSecretName = s.tags[connectionTagNames.clientSecretName];
    const clientId = s.tags[connectionTagNames.clientId];
    if (s.tags[connectionTagNames.kind] !== CONNECTION_KIND || !clientSecretName || !clientId) continue;
    const use: ConnectionUse = {
      name: s.name,
      clientId: clientId.toLowerCase(),
      downstream: s.tags[connectionTagNames.downstream] ?? null,
    };
    uses.set(clientSecretName, [...(uses.get(clientSecretName) ?? []), use]);
  }
  return uses;
}
