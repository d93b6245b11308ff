import { createHash, randomBytes } from 'node:crypto';
import type { DateTime, Duration } from 'luxon';
import type { LinkPurpose, SignInTarget } from './SignInLink.js';
import type { SignInStore } from './SignInPorts.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface LinkSettings {
  /** Vigil's public origin: links are `{base}/api/sign-in/{secret}`. */
  baseUrl: string;
  lifetime: Duration;
}

export interface MintedLink {
  url: string;
  expiresAt: string;
  /** A short, non-secret name of the link for audit rows and logs: the first characters of its hash. */
  linkId: string;
}

/** The route segment of a sign-in link; the callback is `/api/signed-in`. */
export const SIGN_IN_ROUTE = 'sign-in';
export const CALLBACK_ROUTE = 'signed-in';

/**
 * Makes a sign-in link: 256 random bits in the URL, only their SHA-256 kept (docs/tokens.md "Sign-in
 * links"). Whoever holds the link may start a sign-in for the connection; only its owner can finish one.
 */
export async function mintSignInLink(
  deps: { store: SignInStore; settings: LinkSettings },
  target: SignInTarget,
  purpose: LinkPurpose,
  now: DateTime,
): Promise<MintedLink> {
  const secret = randomBytes(32).toString('base64url');
  const hash = hashSecret(secret);
  const expiresAt = toIsoUtc(now.plus(deps.settings.lifetime));
  await deps.store.saveLink(hash, { target, purpose, createdAt: toIsoUtc(now), expiresAt, status: 'open' });
  return { url: `${deps.settings.baseUrl}/api/${SIGN_IN_ROUTE}/${secret}`, expiresAt, linkId: toLinkId(hash) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const toLinkId = (hash: string): string => `sl-${hash.slice(0, 12)}`;

/** The redirect URI every downstream app registers (a Web platform redirect URI). */
export const toCallbackUrl = (baseUrl: string): string => `${baseUrl}/api/${CALLBACK_ROUTE}`;
