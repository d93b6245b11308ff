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
  /** How the connection's app proves itself to the token endpoint, and the secret (same vault) holding that credential. */
  credential: ClientCredentialRef;
  scopes: string[];
  cloud: CloudName;
  owner?: string;
  team?: string;
  downstream?: string;
  /** The connection's own `vigil-*` tags, passed to routing rules. */
  tags: Record<string, string>;
}

/** How an app authenticates at the token endpoint: a client secret, or a certificate (`private_key_jwt`). */
export type ClientCredentialKind = 'clientSecret' | 'certificate';

/**
 * Where a connection's app credential lives: a secret in the connection's vault holding a client secret
 * (`vigil-client-secret-name`), or a certificate as Key Vault keeps a certificate's secret, a PEM with
 * its private key (`vigil-client-certificate-name`).
 */
export interface ClientCredentialRef {
  kind: ClientCredentialKind;
  secretName: string;
}

/** The credential's name in words for people: "client secret cerb-secret" or "certificate cerb-cert". */
export function describeCredential(ref: ClientCredentialRef): string {
  return `${ref.kind === 'certificate' ? 'certificate' : 'client secret'} ${ref.secretName}`;
}

/** A stable key for maps and logs: `{vault host}/{secret name}`. */
export function toConnectionKey(ref: ConnectionRef): string {
  return `${new URL(ref.vaultUrl).host}/${ref.name}`;
}
