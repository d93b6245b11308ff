import type { CloudName } from '../cloud/cloudEndpoints.js';

/** Where a connection lives: one Key Vault secret, named within one watched vault. */
export interface ConnectionRef {
  vaultUrl: string;
  name: string;
}

/**
 * A delegated refresh token Vigil keeps alive, as described by its secret's tags (docs/tokens.md).
 * Holds names and ids only; the token and the client secret are read when needed and never kept here.
 */
export interface Connection extends ConnectionRef {
  tenant: string;
  clientId: string;
  /** Name of the secret, in the same vault, that holds the client secret of `clientId`. */
  clientSecretName: string;
  scopes: string[];
  cloud: CloudName;
  owner?: string;
  team?: string;
  downstream?: string;
  /** The connection's own `vigil-*` tags, passed to routing rules. */
  tags: Record<string, string>;
}

/** A stable key for maps and logs: `{vault host}/{secret name}`. */
export function toConnectionKey(ref: ConnectionRef): string {
  return `${new URL(ref.vaultUrl).host}/${ref.name}`;
}
