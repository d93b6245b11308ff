import { DateTime, Duration } from 'luxon';
import type { ClassifiedFailure } from './classifyTokenError.js';
import type { ConnectionCredentialFacts, LinkedFinding } from './ConnectionCredentialFacts.js';
import type { Connection, ConnectionRef } from './Connection.js';
import type { ConnectionState, FailingConnectionState, HealthyConnectionState, MisconfiguredConnectionState } from './ConnectionState.js';
import type { RefreshPolicy } from './RefreshPolicy.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** How one attempt on a connection ended. */
export type AttemptOutcome =
  | {
      kind: 'refreshed';
      connection: Connection;
      tokenVersion: string;
      tokenCreatedOn: DateTime | undefined;
      wroteBack: boolean;
      grantedScopes: string[];
      expectedLapse: DateTime;
      clientSecret: ConnectionCredentialFacts;
    }
  | {
      kind: 'failed';
      connection: Connection | undefined;
      failure: ClassifiedFailure;
      tokenVersion: string | undefined;
      tokenCreatedOn: DateTime | undefined;
      clientSecret?: ConnectionCredentialFacts;
      /** The scanner's finding for the expired or invalid client secret this failure comes from. */
      linkedFinding?: LinkedFinding;
    }
  | { kind: 'misconfigured'; problems: string[]; tokenVersion: string | undefined; tokenCreatedOn: DateTime | undefined };

/** Which event the transition calls for (besides `token.refreshed` on every success). */
export type Notice = 'failed' | 'recovered' | 'misconfigured' | undefined;

/** The state after an attempt and the notice it calls for: each notice only with the status it tells of. */
export type Transition =
  | { state: HealthyConnectionState; notice: 'recovered' | undefined }
  | { state: FailingConnectionState; notice: 'failed' | undefined }
  | { state: MisconfiguredConnectionState; notice: 'misconfigured' | undefined };

const FIRST_TRANSIENT_BACKOFF = Duration.fromObject({ minutes: 30 });

/**
 * The state after an attempt, and whether to tell anyone. Rules (docs/tokens.md "Alerts"):
 * a non-transient class alerts at once, once per streak and class; a transient one only after
 * `transientAlertAttempts` consecutive failures spanning `transientAlertSpan`, and only if nothing was
 * said yet; a success after an alert is a recovery. Transient failures back off; others are probed again
 * after the probe interval (or as soon as the secret gets a new version).
 */
export function nextConnectionState(
  previous: ConnectionState | undefined,
  ref: ConnectionRef,
  outcome: AttemptOutcome,
  now: DateTime,
  policy: RefreshPolicy,
): Transition {
  const at = toIsoUtc(now);
  const base: HealthyConnectionState = {
    vaultUrl: ref.vaultUrl,
    name: ref.name,
    status: 'healthy',
    consecutiveFailures: 0,
    lastSuccess: previous?.lastSuccess,
    lastWriteBack: previous?.lastWriteBack,
    expectedLapse: previous?.expectedLapse,
    grantedScopes: previous?.grantedScopes,
    clientSecret: previous?.clientSecret,
    lastAttempt: at,
  };
  switch (outcome.kind) {
    case 'misconfigured': {
      const same = previous?.status === 'misconfigured' && previous.problems.join('\n') === outcome.problems.join('\n');
      return {
        state: {
          ...base,
          ...routing(previous),
          status: 'misconfigured',
          problems: outcome.problems,
          tokenVersion: outcome.tokenVersion,
          tokenCreatedOn: outcome.tokenCreatedOn?.toUTC().toISO() ?? undefined,
        },
        notice: same ? undefined : 'misconfigured',
      };
    }
    case 'refreshed': {
      const state: HealthyConnectionState = {
        ...base,
        ...routing(outcome.connection),
        lastSuccess: at,
        nextAttemptAt: toIsoUtc(now.plus(policy.probeInterval)),
        tokenVersion: outcome.tokenVersion,
        tokenCreatedOn: outcome.tokenCreatedOn?.toUTC().toISO() ?? undefined,
        lastWriteBack: outcome.wroteBack ? at : previous?.lastWriteBack,
        expectedLapse: toIsoUtc(outcome.expectedLapse),
        grantedScopes: outcome.grantedScopes.join(' '),
        clientSecret: outcome.clientSecret,
      };
      return { state, notice: previous?.status === 'failing' && previous.alertedClass ? 'recovered' : undefined };
    }
    case 'failed':
      return failedState(previous, base, outcome, now, policy);
  }
}

function failedState(
  previous: ConnectionState | undefined,
  base: HealthyConnectionState,
  outcome: Extract<AttemptOutcome, { kind: 'failed' }>,
  now: DateTime,
  policy: RefreshPolicy,
): Extract<Transition, { state: FailingConnectionState }> {
  const { failure } = outcome;
  const streak = previous?.status === 'failing' ? previous : undefined;
  const consecutiveFailures = (streak?.consecutiveFailures ?? 0) + 1;
  const failingSince = streak?.failingSince ?? toIsoUtc(now);
  const transient = failure.failureClass === 'transient';
  const persisted =
    consecutiveFailures >= policy.transientAlertAttempts &&
    now.diff(DateTime.fromISO(failingSince, { zone: 'utc' })) >= policy.transientAlertSpan;
  const alert = transient ? persisted && !streak?.alertedClass : streak?.alertedClass !== failure.failureClass;
  const wait = transient ? transientBackoff(consecutiveFailures, failure.retryAfterMs, policy) : policy.probeInterval;
  const state: FailingConnectionState = {
    ...base,
    ...routing(outcome.connection ?? previous),
    status: 'failing',
    failureClass: failure.failureClass,
    consecutiveFailures,
    failingSince,
    lastErrorCode: failure.code,
    correlationId: failure.correlationId,
    whoMustAct: failure.whoMustAct,
    remediation: failure.remediation,
    alertedClass: alert ? failure.failureClass : streak?.alertedClass,
    nextAttemptAt: toIsoUtc(now.plus(wait)),
    tokenVersion: outcome.tokenVersion ?? previous?.tokenVersion,
    tokenCreatedOn: outcome.tokenCreatedOn?.toUTC().toISO() ?? previous?.tokenCreatedOn,
    clientSecret: outcome.clientSecret ?? previous?.clientSecret,
    linkedFinding: outcome.linkedFinding,
  };
  return { state, notice: alert ? 'failed' : undefined };
}

/** 30 min, 1 h, 2 h, … but never longer than the probe interval, and never sooner than Retry-After. */
export function transientBackoff(consecutiveFailures: number, retryAfterMs: number | undefined, policy: RefreshPolicy): Duration {
  const exponential = FIRST_TRANSIENT_BACKOFF.toMillis() * 2 ** Math.min(consecutiveFailures - 1, 16);
  const wait = Math.max(Math.min(exponential, policy.probeInterval.toMillis()), retryAfterMs ?? 0);
  return Duration.fromMillis(wait);
}

function routing(
  source:
    { tenant?: string | undefined; owner?: string | undefined; team?: string | undefined; downstream?: string | undefined } | undefined,
): Pick<ConnectionState, 'tenant' | 'owner' | 'team' | 'downstream'> {
  return { tenant: source?.tenant, owner: source?.owner, team: source?.team, downstream: source?.downstream };
}
