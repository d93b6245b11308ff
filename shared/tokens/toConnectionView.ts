import { DateTime } from 'luxon';
import type { LapseCause } from '../events/vigilEvent.js';
import type { ClientCredentialKind } from './Connection.js';
import { expectedLapseOf, type LinkedFinding } from './ClientSecretFacts.js';
import { linkedFindingOf, type ConnectionState } from './ConnectionState.js';
import type { RefreshPolicy } from './RefreshPolicy.js';
import { toIsoUtc } from '../core/toIsoUtc.js';

/** What the HTTP API and the local summary show about a connection: state and the next step, never a secret. */
export interface ConnectionView {
  name: string;
  vaultUrl: string;
  status: ConnectionState['status'];
  failureClass: string | null;
  lastSuccess: string | null;
  lastAttempt: string | null;
  consecutiveFailures: number;
  lastErrorCode: string | null;
  correlationId: string | null;
  /** When it stops if nobody acts: the refresh token's lapse, or its client secret's end if that comes first. */
  expectedLapse: string | null;
  expectedLapseCause: LapseCause | null;
  /** How the connection's app signs in at the token endpoint: a client secret, or a certificate (`private_key_jwt`). */
  credentialKind: ClientCredentialKind;
  /**
   * The client secret it signs in with (its Key Vault copy), its end, and the scanner's finding on it, so
   * the connection and the finding point at each other. Null for a certificate connection.
   */
  clientSecret: { name: string; keyId: string | null; endDateTime: string | null; findingId: string | null } | null;
  /** The certificate it signs in with (its Key Vault secret) and the certificate's end; null for a client secret connection. */
  clientCertificate: { name: string; endDateTime: string | null } | null;
  grantedScopes: string | null;
  lastWriteBack: string | null;
  owner: string | null;
  team: string | null;
  downstream: string | null;
  whoMustAct: string | null;
  problems: string[];
  nextAction: string;
}

/**
 * `secretFinding` looks up the scanner's finding on an app's client secret (by the copy's key id), when
 * the caller has the findings at hand; while a refresh fails on that secret, the state names it anyway.
 */
export function toConnectionView(
  state: ConnectionState,
  policy: RefreshPolicy,
  secretFinding: (appId: string, keyId: string | null) => LinkedFinding | undefined = () => undefined,
): ConnectionView {
  const secret = state.clientSecret;
  const finding = linkedFindingOf(state) ?? (secret?.appId ? secretFinding(secret.appId, secret.keyId) : undefined);
  const lapse = expectedLapseOf(state.expectedLapse, secret?.endDateTime ?? finding?.endDateTime, secret?.kind);
  const certificate = secret?.kind === 'certificate';
  return {
    name: state.name,
    vaultUrl: state.vaultUrl,
    status: state.status,
    failureClass: state.status === 'failing' ? state.failureClass : null,
    lastSuccess: state.lastSuccess ?? null,
    lastAttempt: state.lastAttempt ?? null,
    consecutiveFailures: state.consecutiveFailures,
    lastErrorCode: state.status === 'failing' ? state.lastErrorCode : null,
    correlationId: (state.status === 'failing' ? state.correlationId : undefined) ?? null,
    expectedLapse: lapse?.at ?? null,
    expectedLapseCause: lapse?.cause ?? null,
    credentialKind: secret?.kind ?? 'clientSecret',
    clientSecret:
      secret && !certificate
        ? {
            name: secret.name,
            keyId: secret.keyId,
            endDateTime: secret.endDateTime ?? finding?.endDateTime ?? null,
            findingId: finding?.findingId ?? null,
          }
        : null,
    clientCertificate: secret && certificate ? { name: secret.name, endDateTime: secret.endDateTime } : null,
    grantedScopes: state.grantedScopes ?? null,
    lastWriteBack: state.lastWriteBack ?? null,
    owner: state.owner ?? null,
    team: state.team ?? null,
    downstream: state.downstream ?? null,
    whoMustAct: state.status === 'failing' ? state.whoMustAct : null,
    problems: state.status === 'misconfigured' ? state.problems : [],
    nextAction: describeNextAction(state, policy),
  };
}

/** One line on what happens next, and whether a person is needed. */
export function describeNextAction(state: ConnectionState, policy: RefreshPolicy): string {
  const day = (iso: string | undefined) => (iso ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'") : '?');
  switch (state.status) {
    case 'misconfigured':
      return `fix the secret's tags: ${state.problems.join('; ')}`;
    case 'failing':
      if (state.failureClass === 'transient')
        return `Vigil retries after ${day(state.nextAttemptAt)}${state.alertedClass ? ' (alert raised)' : ''}`;
      return `${state.whoMustAct}; Vigil probes again after ${day(state.nextAttemptAt)} or when a new token is stored`;
    case 'healthy': {
      const writeBack = state.tokenCreatedOn
        ? toIsoUtc(DateTime.fromISO(state.tokenCreatedOn, { zone: 'utc' }).plus(policy.writeBackAge))
        : undefined;
      return `probe after ${day(state.nextAttemptAt)}; rotated token stored from ${day(writeBack)}`;
    }
  }
}
