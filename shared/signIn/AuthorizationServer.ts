import type { DateTime } from 'luxon';
import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { ClientCredential, TokenFailure } from '../tokens/TokenEndpoint.js';

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
  /** Vigil's now: a certificate's assertion is dated by it. */
  now: DateTime;
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

/** Vigil's client side of the authorization code flow at the connection's cloud (v2-oauth2-auth-code-flow). */
export interface AuthorizationServer {
  redeem(request: CodeRedemption): Promise<RedeemedCode | TokenFailure | InvalidIdToken>;
}
