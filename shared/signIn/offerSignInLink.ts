import type { DateTime } from 'luxon';
import type { ConnectionRef } from '../tokens/Connection.js';
import { describeMissingRedirectUri, type RedirectUriCheck } from './checkRedirectUri.js';
import { linkFor, type LinkRequestDeps } from './requestConnection.js';
import { resolveTarget, type TargetRefusal } from './resolveTarget.js';
import type { LinkPurpose } from './SignInLink.js';

/** A fresh link to show a person, or why there is none (never silently nothing). */
export type SignInOffer =
  | { kind: 'link'; url: string; owner: string; expiresAt: string; linkId: string; redirectUriCheck: RedirectUriCheck }
  | { kind: 'none'; code: TargetRefusal | 'redirectUriMissing' | 'noLink'; reason: string };

/** Mints a reconnect link for an existing connection after the same checks the API makes (owner, tags, redirect URI). */
export async function offerSignInLink(
  deps: LinkRequestDeps,
  ref: ConnectionRef,
  purpose: LinkPurpose,
  now: DateTime,
): Promise<SignInOffer> {
  const resolved = await resolveTarget(deps, { kind: 'reconnect', ref });
  if (resolved.kind === 'refused') return { kind: 'none', code: resolved.reason, reason: resolved.detail };
  const answer = await linkFor(deps, { kind: 'reconnect', ref }, resolved.connection, purpose, now);
  if (answer.kind === 'redirectUriMissing')
    return { kind: 'none', code: 'redirectUriMissing', reason: describeMissingRedirectUri(answer.clientId, answer.redirectUri) };
  if (answer.kind !== 'link') return { kind: 'none', code: 'noLink', reason: 'no link could be made' };
  return {
    kind: 'link',
    url: answer.link.url,
    owner: resolved.connection.owner,
    expiresAt: answer.link.expiresAt,
    linkId: answer.link.linkId,
    redirectUriCheck: answer.redirectUriCheck,
  };
}
