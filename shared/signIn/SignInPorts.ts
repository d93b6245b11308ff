import type { DateTime, Duration } from 'luxon';
import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { Sleep } from '../helpers/sleep.js';
import type { ReadCertificate } from '../tokens/createCertificateCache.js';
import type { ClientCredential, TokenFailure, TokenVault } from '../tokens/TokenPorts.js';
import type { LinkSettings } from './mintSignInLink.js';
import type { StoredFlow, StoredLink } from './SignInLink.js';

// The sign-in flow's ports: everything it needs passed in (SignInDeps), where links and flows are kept,
// and Vigil's client side of the authorization code flow. Adapters sit in shared/adapters/.

/** How the first check of a stored token went, as the sign-in pages and events tell it. */
export type StoredTokenCheck =
  | { kind: 'healthy' }
  | { kind: 'failing'; failureClass: string; code: string; whoMustAct: string }
  | { kind: 'notChecked'; reason: string };

/** Everything the sign-in flow needs, passed in (shared/wiring/createSignIn.ts builds it). */
export interface SignInDeps {
  store: SignInStore;
  settings: LinkSettings & {
    /** How long a started sign-in may take between the redirect to Entra and its answer. */
    flowLifetime: Duration;
  };
  vault: (vaultUrl: string) => TokenVault | undefined;
  loginHost: (cloud: CloudName) => string;
  server: AuthorizationServer;
  /** Refreshes the connection once under its lease at `now`, as the token keeper does, and says how it went. */
  probe: (ref: { vaultUrl: string; name: string }, now: DateTime) => Promise<StoredTokenCheck>;
  events: EventPublisher;
  homeTenantId: string;
  sleep: Sleep;
  /** The token keeper's certificate reads, kept per secret version (createCertificateCache). */
  readCertificate: ReadCertificate;
}

/** Where sign-in links and started flows are kept (Table Storage in production). Keys are SHA-256 hashes of the secrets. */
export interface SignInStore {
  saveLink(hash: string, link: StoredLink): Promise<void>;
  readLink(hash: string): Promise<{ link: StoredLink; etag: string } | undefined>;
  /** Marks the link used if it is still as read; false when another sign-in used it first. */
  markUsed(hash: string, etag: string, usedAt: string): Promise<boolean>;
  /** Links of a connection created before this instant are retired (a sign-in through one of them completed). */
  linksValidFrom(targetKey: string): Promise<string | undefined>;
  retireLinks(targetKey: string, from: string): Promise<void>;
  saveFlow(stateHash: string, flow: StoredFlow): Promise<void>;
  /** Reads and deletes the flow in one conditional step: a state is answered once. Undefined when absent or taken. */
  takeFlow(stateHash: string): Promise<StoredFlow | undefined>;
  /**
   * Drops flows and links whose lifetime ended before `now`, a bounded number per call, and says how many.
   * Run by the refresh planner's timer, never by the anonymous sign-in request.
   */
  sweep(now: string): Promise<number>;
}

/** The user an ID token names, once its signature, issuer, audience, lifetime and nonce were checked. */
export interface SignedInUser {
  tenantId: string;
  objectId: string;
  /** `preferred_username`: the UPN the person signed in with. */
  username: string | undefined;
  name: string | undefined;
}

/** One authorization code to redeem. Holds the app's credential and the PKCE verifier: never log it. */
export interface CodeRedemption {
  cloud: CloudName;
  tenant: string;
  clientId: string;
  credential: ClientCredential;
  /** The query Entra sent to the redirect URI (`code`, `state`, …). */
  callback: URLSearchParams;
  expectedState: string;
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  scopes: string[];
}

export type RedeemedCode = {
  kind: 'redeemed';
  /** Absent when the grant lacks `offline_access`. */
  refreshToken: string | undefined;
  grantedScopes: string[];
  refreshTokenExpiresIn: number | undefined;
  user: SignedInUser;
  correlationId: string | undefined;
};

/** The ID token failed a check (signature, issuer, audience, nonce, lifetime): nothing from the answer is used. */
export type InvalidIdToken = { kind: 'invalidIdToken'; reason: string };

/**
 * A request fetch would not make (a login host on a port it blocks): a fault in Vigil or its settings (vigilFault), no
 * outage of Entra's. `code` names it (UND_ERR_INVALID_ARG, or the error's class), `reason` says so (couldNotMakeRequest).
 * Not the CLI's `requestNotMade`, which is the person's own input (a --url or --function-key fetch refuses).
 */
export type VigilFault = { kind: 'vigilFault'; code: string; reason: string };

/** Vigil's client side of the authorization code flow at the connection's cloud (v2-oauth2-auth-code-flow). */
export interface AuthorizationServer {
  redeem(request: CodeRedemption): Promise<RedeemedCode | TokenFailure | InvalidIdToken | VigilFault>;
}
