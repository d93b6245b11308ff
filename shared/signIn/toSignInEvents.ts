import type { DateTime } from 'luxon';
import { describeCredential } from '../tokens/Connection.js';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { toConnectionKey } from '../tokens/Connection.js';
import type { SignInConnection } from './resolveTarget.js';
import type { SignInOutcome, SignInRefusal } from './SignInOutcome.js';

/** What the connection's routes hear: `token.connected` (closes the connection's finding) or `token.sign_in_refused`. */
export function toSignInEvents(outcome: SignInOutcome, homeTenantId: string, now: DateTime): VigilEvent[] {
  const connection = outcome.connection;
  if (!connection) return [];
  const common = commonFields(connection, homeTenantId);
  if (outcome.kind === 'connected') {
    const verb = connection.mode === 'connect' ? 'connected' : 'reconnected';
    return [
      newEvent(
        {
          ...common,
          type: 'token.connected',
          severity: 'info',
          summary: `Token connection ${connection.name}${downstreamText(connection)} was ${verb}: ${outcome.user.username ?? connection.owner} signed in, and Vigil keeps the new refresh token alive.`,
          dedupeKey: `token.connected|${toConnectionKey(connection)}|${outcome.version}`,
          data: {
            connection: connection.name,
            vaultUrl: connection.vaultUrl,
            mode: connection.mode,
            owner: connection.owner,
            scopes: connection.scopes,
            vaultSecretVersion: outcome.version,
            check: outcome.probe.kind === 'failing' ? `failing ${outcome.probe.failureClass} (${outcome.probe.code})` : outcome.probe.kind,
          },
        },
        now,
      ),
    ];
  }
  const words = refusalWords[outcome.reason];
  return [
    newEvent(
      {
        ...common,
        type: 'token.sign_in_refused',
        severity: outcome.reason === 'wrongUser' ? 'high' : 'medium',
        summary: `A sign-in for token connection ${connection.name}${downstreamText(connection)} was refused: ${words.what(outcome.user?.username, connection)}. Nothing was stored.`,
        impact: `${connection.downstream ?? 'The connected app'} keeps its current token, and stays disconnected if that one no longer works.`,
        fix: words.fix(connection),
        dedupeKey: `token.sign_in_refused|${toConnectionKey(connection)}|${outcome.reason}|${outcome.code ?? ''}|${outcome.user?.objectId ?? outcome.linkId ?? ''}`,
        data: {
          connection: connection.name,
          vaultUrl: connection.vaultUrl,
          reason: outcome.reason,
          ...(outcome.code ? { code: outcome.code } : {}),
          ...(outcome.user?.username ? { signedInAs: outcome.user.username } : {}),
          ...(outcome.linkId ? { linkId: outcome.linkId } : {}),
        },
      },
      now,
    ),
  ];
}

type Words = { what: (user: string | undefined, c: SignInConnection) => string; fix: (c: SignInConnection) => string };
const freshLink = (c: SignInConnection) =>
  `Get a fresh sign-in link from the status page or POST /api/connections/${c.name}/sign-in-link, and have ${c.owner} open it.`;
const admin = (c: SignInConnection) => `an administrator of tenant ${c.tenant}`;

/** One sentence per refusal: what happened, and who does what about it. */
export const refusalWords: Record<SignInRefusal, Words> = {
  wrongUser: {
    what: (user, c) => `${user ?? 'another account'} signed in, not the owner ${c.owner}`,
    fix: (c) =>
      `Only ${c.owner} can connect this token. Open the link again and sign in as ${c.owner}; if the owner changed, update the vigil-owner tag first.`,
  },
  consentDenied: {
    what: (user) => `${user ?? 'the person signing in'} declined the app's permissions`,
    fix: (c) =>
      `Sign in again and accept the permissions, or ask ${admin(c)} to grant consent to app ${c.clientId} for ${c.scopes.join(' ')}.`,
  },
  entraError: {
    what: () => 'Microsoft sign-in returned an error',
    fix: (c) => `Look the code up (https://login.microsoftonline.com/error), fix the cause with ${admin(c)}, then ${freshLink(c)}`,
  },
  entraUnavailable: { what: () => 'Microsoft sign-in could not be reached', fix: (c) => `Try the link again shortly. ${freshLink(c)}` },
  invalidIdToken: {
    what: () => 'the ID token Microsoft returned failed Vigil’s checks',
    fix: () => "Vigil's operators check the log and the tenant's signing keys.",
  },
  vigilFault: {
    what: () => 'Vigil could not make its request to Entra',
    fix: (c) =>
      `Vigil's operators check the log and the login host in VIGIL_CLOUD_ENDPOINTS, then open the link again; if it expired meanwhile: ${freshLink(c)}`,
  },
  noRefreshToken: {
    what: () => 'Microsoft issued no refresh token (offline_access was not granted)',
    fix: (c) => `Add offline_access to the scopes of ${c.name} and to app ${c.clientId}'s API permissions, then sign in again.`,
  },
  clientSecretUnavailable: {
    what: (_u, c) => `the app's ${describeCredential(c.credential)} could not be read or used`,
    fix: (c) =>
      `Store app ${c.clientId}'s ${c.credential.kind === 'certificate' ? 'certificate with its private key (PEM)' : 'client secret'} in ${new URL(c.vaultUrl).host}/${c.credential.secretName}, then ${freshLink(c)}`,
  },
  vaultFailed: {
    what: () => 'Key Vault refused the new token',
    fix: (c) => `Check Vigil's access to ${c.vaultUrl} (Key Vault Secrets Officer), then ${freshLink(c)}`,
  },
  unknownState: { what: () => 'the sign-in answer was not one Vigil started', fix: (c) => freshLink(c) },
  flowExpired: {
    what: () => 'the sign-in took too long',
    fix: (c) => `Open the link again and finish within a few minutes. ${freshLink(c)}`,
  },
  unknown: { what: () => 'the link is not one Vigil made', fix: (c) => freshLink(c) },
  expired: { what: () => 'the link had expired', fix: (c) => freshLink(c) },
  used: { what: () => 'the link was already used', fix: (c) => `Nothing to do if the connection works; otherwise ${freshLink(c)}` },
  retired: {
    what: () => 'a newer sign-in for this connection already completed',
    fix: (c) => `Nothing to do if the connection works; otherwise ${freshLink(c)}`,
  },
  connectionGone: { what: () => 'the connection no longer exists', fix: () => 'Create the connection again with POST /api/connections.' },
  misconfigured: {
    what: () => "the connection's tags are not valid",
    fix: () => "Fix the secret's tags (docs/tokens.md), then get a fresh link.",
  },
  noOwner: {
    what: () => 'the connection names no owner (vigil-owner) who could sign in',
    fix: () => 'Set the vigil-owner tag to the UPN of the account the token belongs to.',
  },
  nameTaken: {
    what: () => 'a secret of that name already exists and is not a token connection',
    fix: () => 'Create the connection under another name.',
  },
  vaultUnavailable: {
    what: () => 'Key Vault could not be read',
    fix: (c) => `Check Vigil's access to ${c.vaultUrl}, then try the link again.`,
  },
};

function commonFields(c: SignInConnection, homeTenantId: string) {
  return {
    tenantId: c.tenant || homeTenantId,
    subject: { kind: 'connection' as const, id: toConnectionKey(c), displayName: c.name },
    routing: {
      owner: c.owner,
      ...(c.team ? { team: c.team } : {}),
      ...(c.downstream ? { downstream: c.downstream } : {}),
      tags: c.tags,
    },
  };
}

const downstreamText = (c: { downstream?: string | undefined }) => (c.downstream ? ` (${c.downstream})` : '');
