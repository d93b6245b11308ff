import type { VaultCopy } from '../scanner/Finding.js';

/** A token connection that signs in with a credential: it stops when the credential does. */
export interface ImpactConnection {
  /** The connection's Key Vault secret name. */
  name: string;
  vaultUrl: string;
  /** The system that uses the connection (`vigil-downstream`). */
  downstream: string | null;
  /**
   * True when its client secret copy is tagged with this credential's key id; false when the copy names
   * only the app, so it may hold this secret or another of the app's.
   */
  keyConfirmed: boolean;
}

/**
 * What breaks with a credential (its blast radius): the token connections whose client secret is a copy
 * of it, every Key Vault copy, and the app's owners (`null`: not read, e.g. a delta scan of an unchanged
 * app keeps the last list, and a tenant Vigil may not read owners in has none).
 */
export interface Impact {
  connections: ImpactConnection[];
  vaultCopies: VaultCopy[];
  owners: string[] | null;
}

/** "breaks cerb-helpdesk-mailbox (Cerb); copies in Key Vault: cerb-client-secret; owners: ops@…". */
export function describeImpact(impact: Impact): string {
  const parts: string[] = [];
  if (impact.connections.length > 0)
    parts.push(
      `token connection${impact.connections.length === 1 ? '' : 's'} ${impact.connections
        .map((c) => `${c.name}${c.downstream ? ` (${c.downstream})` : ''}${c.keyConfirmed ? '' : ' (if it holds this secret)'}`)
        .join(', ')} stop${impact.connections.length === 1 ? 's' : ''} with it`,
    );
  if (impact.vaultCopies.length > 0) parts.push(`Key Vault copies: ${impact.vaultCopies.map((v) => v.secretName).join(', ')}`);
  if (impact.owners && impact.owners.length > 0) parts.push(`owners: ${impact.owners.join(', ')}`);
  return parts.join('; ');
}
