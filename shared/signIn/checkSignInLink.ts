import type { DateTime } from 'luxon';
import { hashSecret } from './mintSignInLink.js';
import { toTargetKey, type StoredLink } from './SignInLink.js';
import type { SignInStore } from './SignInPorts.js';

/** Why a link cannot be used: never issued (or altered), past its lifetime, used, or retired by a later sign-in. */
export type LinkRefusal = 'unknown' | 'expired' | 'used' | 'retired';

type OpenLink = Extract<StoredLink, { status: 'open' }>;

/**
 * An expired link is still open and unretired: a sign-in started before its last minute may finish
 * through it once, so the refusal keeps the row's etag for the conditional write that marks it used.
 */
export type LinkCheck =
  | { kind: 'open'; hash: string; etag: string; link: OpenLink }
  | { kind: 'refused'; reason: 'expired'; hash: string; etag: string; link: OpenLink }
  | { kind: 'refused'; reason: Exclude<LinkRefusal, 'expired'>; hash: string | undefined; link: StoredLink | undefined };

/** The secret part of a link: 32 random bytes in base64url. Anything else was never a link Vigil made. */
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * Whether a link may start (or finish) a sign-in now: known by its hash, open, not retired by a sign-in
 * completed through another link of the same connection since it was made, and within its lifetime.
 * Used and retired come first: a link of a connection signed in since reads so whatever its age.
 */
export async function checkSignInLink(store: SignInStore, secret: string, now: DateTime): Promise<LinkCheck> {
  if (!LINK_SECRET.test(secret)) return { kind: 'refused', reason: 'unknown', hash: undefined, link: undefined };
  return checkStoredLink(store, hashSecret(secret), now);
}

export async function checkStoredLink(store: SignInStore, hash: string, now: DateTime): Promise<LinkCheck> {
  const found = await store.readLink(hash);
  if (!found) return { kind: 'refused', reason: 'unknown', hash, link: undefined };
  const { link, etag } = found;
  if (link.status === 'used') return { kind: 'refused', reason: 'used', hash, link };
  const validFrom = await store.linksValidFrom(toTargetKey(link.target));
  if (validFrom && Date.parse(link.createdAt) < Date.parse(validFrom)) return { kind: 'refused', reason: 'retired', hash, link };
  if (Date.parse(link.expiresAt) <= now.toMillis()) return { kind: 'refused', reason: 'expired', hash, etag, link };
  return { kind: 'open', hash, etag, link };
}
