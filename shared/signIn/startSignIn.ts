import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import * as oauth from 'oauth4webapi';
import { checkSignInLink, type LinkRefusal } from './checkSignInLink.js';
import { toCallbackUrl, toLinkId } from './mintSignInLink.js';
import { resolveTarget, type SignInConnection, type TargetRefusal } from './resolveTarget.js';
import type { SignInDeps } from './SignInPorts.js';
import { toAuthorizeUrl } from './toAuthorizeUrl.js';
import { refused } from './SignInOutcome.js';
import { toSignInEvents } from './toSignInEvents.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type LinkLookup =
  | { kind: 'ready'; connection: SignInConnection; hash: string; linkId: string; expiresAt: string }
  | {
      kind: 'refused';
      reason: LinkRefusal | TargetRefusal;
      detail: string;
      linkId: string | undefined;
      /** The connection of a known link that may not be used any more, so its routes can hear about it. */
      connection: SignInConnection | undefined;
    };

/** What a link's landing page shows: whom it is for and until when, or why it cannot be used. */
export async function lookUpLink(deps: SignInDeps, secret: string, now: DateTime): Promise<LinkLookup> {
  const check = await checkSignInLink(deps.store, secret, now);
  const linkId = check.hash ? toLinkId(check.hash) : undefined;
  const resolved = check.link ? await resolveTarget(deps, check.link.target) : undefined;
  const connection = resolved?.kind === 'resolved' ? resolved.connection : undefined;
  if (check.kind === 'refused') return { kind: 'refused', reason: check.reason, detail: '', linkId, connection };
  if (resolved?.kind !== 'resolved')
    return {
      kind: 'refused',
      reason: resolved?.reason ?? 'unknown',
      detail: resolved?.kind === 'refused' ? resolved.detail : '',
      linkId,
      connection,
    };
  return {
    kind: 'ready',
    connection: resolved.connection,
    hash: check.hash,
    linkId: toLinkId(check.hash),
    expiresAt: check.link.expiresAt,
  };
}

/** Whether opening this refused link tells its connection's routes (reportLinkRefusal): only an expired link of a known connection. */
export const isReportedLinkRefusal = (
  found: Extract<LinkLookup, { kind: 'refused' }>,
): found is Extract<LinkLookup, { kind: 'refused' }> & { connection: SignInConnection } =>
  found.reason === 'expired' && found.connection !== undefined;

/**
 * A person opened a link that expired: its connection's routes hear about it (once per link), so a
 * fresh one is sent. Used and retired links are not reported: the connection was reconnected.
 */
export async function reportLinkRefusal(deps: SignInDeps, found: LinkLookup, now: DateTime): Promise<void> {
  if (found.kind !== 'refused' || !isReportedLinkRefusal(found)) return;
  await deps.events.publish(
    toSignInEvents(refused('expired', '', { connection: found.connection, linkId: found.linkId }), deps.homeTenantId, now),
  );
}

export type SignInStart =
  { kind: 'redirect'; authorizeUrl: string; connection: SignInConnection; linkId: string } | Extract<LinkLookup, { kind: 'refused' }>;

/**
 * Starts a sign-in from a link: a fresh `state`, `nonce` and PKCE verifier kept server-side for a short
 * while (keyed by the state's hash), then the authorize URL of the connection's own app in its cloud,
 * with the expected owner as `login_hint`. The link stays open until a sign-in through it completes.
 */
export async function startSignIn(deps: SignInDeps, secret: string, now: DateTime): Promise<SignInStart> {
  const found = await lookUpLink(deps, secret, now);
  if (found.kind !== 'ready') return found;
  const { connection } = found;
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  await deps.store.saveFlow(hashState(state), {
    linkHash: found.hash,
    codeVerifier,
    nonce,
    createdAt: toIsoUtc(now),
    expiresAt: toIsoUtc(now.plus(deps.settings.flowLifetime)),
  });
  const authorizeUrl = toAuthorizeUrl({
    loginHost: deps.loginHost(connection.cloud),
    tenant: connection.tenant,
    clientId: connection.clientId,
    redirectUri: toCallbackUrl(deps.settings.baseUrl),
    scopes: connection.scopes,
    state,
    nonce,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    loginHint: connection.owner,
  });
  return { kind: 'redirect', authorizeUrl, connection, linkId: found.linkId };
}

/** The key a started sign-in is kept under: the state itself travels through the browser and Entra. */
export const hashState = (state: string): string => createHash('sha256').update(`state:${state}`).digest('hex');
