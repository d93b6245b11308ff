import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { ConnectionRef } from '../tokens/Connection.js';

/**
 * A connection that exists only as a request until its owner signs in: everything the connection's
 * tags will say (docs/tokens.md "Tag schema"), and nothing secret. Key Vault holds nothing of it yet.
 */
export interface NewConnection extends ConnectionRef {
  tenant: string;
  cloud: CloudName;
  clientId: string;
  /** The app's credential, as the tags name it: exactly one of a client secret's secret and a certificate's. */
  clientSecretName?: string | undefined;
  clientCertificateName?: string | undefined;
  scopes: string[];
  /** The account that must sign in (its UPN): the expected owner of the token. */
  owner: string;
  team?: string | undefined;
  downstream?: string | undefined;
}

/** What a sign-in link lets its holder start: a first sign-in for a new connection, or a new sign-in for an existing one. */
export type SignInTarget = { kind: 'connect'; connection: NewConnection } | { kind: 'reconnect'; ref: ConnectionRef };

/** Why a link was made, for the audit trail; an alert link is the one a mail, card or webhook carried. */
export type LinkPurpose = 'alert' | 'statusPage' | 'api' | 'connect';

/**
 * A sign-in link as Vigil keeps it: by the SHA-256 of its secret part, never the secret, so reading the
 * table gives nobody a usable link. Typed by status: a used link records when.
 */
export type StoredLink = {
  target: SignInTarget;
  purpose: LinkPurpose;
  createdAt: string;
  expiresAt: string;
} & ({ status: 'open' } | { status: 'used'; usedAt: string });

/** A started sign-in, kept server-side between the redirect to Entra and its answer: PKCE verifier and nonce. */
export interface StoredFlow {
  /** The hash of the link the flow was started from. */
  linkHash: string;
  codeVerifier: string;
  nonce: string;
  createdAt: string;
  expiresAt: string;
}

/** The key links of one connection share, so a completed sign-in can retire all of them at once. */
export function toTargetKey(target: SignInTarget): string {
  const ref = target.kind === 'connect' ? target.connection : target.ref;
  return `${new URL(ref.vaultUrl).host.toLowerCase()}/${ref.name.toLowerCase()}`;
}
