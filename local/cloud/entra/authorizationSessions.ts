import { randomBytes } from 'node:crypto';
import type { CloudStore } from '../state/CloudStore.js';
import { sha256 } from '../state/credentials.js';

/**
 * Scopes of the sign-in itself: every signed-in user has them without consent, and a refresh token's
 * grant does not keep them. `offline_access` does need consent (permissions-consent-overview).
 */
export const SIGN_IN_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email']);

/** An authorize request between the sign-in page and the redirect back to the app: what the code will carry. */
export interface PendingAuthorization {
  id: string;
  tenantId: string;
  clientAppId: string;
  redirectUri: string;
  /** As requested, OpenID scopes included. */
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
  loginHint: string | undefined;
  /** Set once the user signed in, before consent. */
  userId?: string;
  expiresAt: number;
}

/** An issued authorization code, by its hash: single use, about ten minutes (v2-oauth2-auth-code-flow). */
export interface IssuedCode {
  clientAppId: string;
  tenantId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
  redeemed: boolean;
}

export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60_000;
/** How long the sign-in and consent pages of one request stay usable. */
const PENDING_LIFETIME_MS = 30 * 60_000;

/**
 * The local Entra's short-lived sign-in state, kept in memory beside the directory (like Entra's own
 * session state it does not outlive the service): pending requests and issued codes, codes by hash only.
 */
export class AuthorizationSessions {
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(private readonly store: CloudStore) {}

  begin(request: Omit<PendingAuthorization, 'id' | 'expiresAt'>): PendingAuthorization {
    this.sweep();
    const pending = { ...request, id: randomBytes(18).toString('base64url'), expiresAt: this.now() + PENDING_LIFETIME_MS };
    this.pending.set(pending.id, pending);
    return pending;
  }

  find(id: string): PendingAuthorization | undefined {
    const found = this.pending.get(id);
    return found && found.expiresAt > this.now() ? found : undefined;
  }

  end(id: string): void {
    this.pending.delete(id);
  }

  issueCode(pending: PendingAuthorization, userId: string): string {
    const code = `1.Vigil${randomBytes(48).toString('base64url')}`;
    this.codes.set(sha256(code), {
      clientAppId: pending.clientAppId,
      tenantId: pending.tenantId,
      userId,
      redirectUri: pending.redirectUri,
      scopes: pending.scopes,
      nonce: pending.nonce,
      codeChallenge: pending.codeChallenge,
      codeChallengeMethod: pending.codeChallengeMethod,
      expiresAt: this.now() + AUTHORIZATION_CODE_LIFETIME_MS,
      redeemed: false,
    });
    this.end(pending.id);
    return code;
  }

  code(presented: string): IssuedCode | undefined {
    return this.codes.get(sha256(presented));
  }

  now(): number {
    return this.store.now().getTime();
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(id);
    // Redeemed and expired codes are kept an hour longer so a replay still gets "already redeemed".
    for (const [hash, c] of this.codes) if (c.expiresAt + 3_600_000 <= now) this.codes.delete(hash);
  }
}

const sessions = new WeakMap<CloudStore, AuthorizationSessions>();

/** One set of sessions per local cloud, shared by every cloud's login host and the token endpoint. */
export function authorizationSessions(store: CloudStore): AuthorizationSessions {
  let found = sessions.get(store);
  if (!found) {
    found = new AuthorizationSessions(store);
    sessions.set(store, found);
  }
  return found;
}
