import type { DateTime } from 'luxon';
import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { CertificateCredential } from './readCertificatePem.js';

/** One `refresh_token` grant, as the token keeper asks for it. Holds two secrets: never log it. */
export interface TokenRefreshRequest {
  cloud: CloudName;
  tenant: string;
  clientId: string;
  credential: ClientCredential;
  refreshToken: string;
  scopes: string[];
  /** Vigil's now: a certificate's assertion is dated by it (the local cloud's clock may be moved). */
  now: DateTime;
}

/**
 * An app credential's value, as read from Key Vault: a client secret, or a certificate and its private
 * key (readCertificatePem), signed into a fresh `private_key_jwt` assertion per request. Never log it.
 */
export type ClientCredential = { kind: 'clientSecret'; secret: string } | { kind: 'certificate'; certificate: CertificateCredential };

/** The token endpoint answered with tokens. `refreshToken` is absent when Entra sent none (keep the stored one). */
export interface TokenGrant {
  kind: 'granted';
  refreshToken: string | undefined;
  grantedScopes: string[];
  /** `refresh_token_expires_in`, when Entra says it (seconds). */
  refreshTokenExpiresIn: number | undefined;
  correlationId: string | undefined;
}

/**
 * The token endpoint refused, or could not be reached. Only the fields classification needs: never the
 * description, which may quote request details.
 */
export type TokenFailure =
  | {
      kind: 'rejected';
      status: number;
      error: string | undefined;
      suberror: string | undefined;
      /** AADSTS numbers from `error_codes`, or the one opening `error_description` when the body lists none. */
      codes: number[];
      correlationId: string | undefined;
      retryAfterMs: number | undefined;
    }
  | { kind: 'unreachable'; reason: string };

export interface TokenEndpoint {
  refresh(request: TokenRefreshRequest): Promise<TokenGrant | TokenFailure>;
}
