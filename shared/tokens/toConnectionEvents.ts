import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { toConnectionKey, type ConnectionRef } from './Connection.js';
import type { ConnectionState, FailingConnectionState, MisconfiguredConnectionState } from './ConnectionState.js';
import { credentialDedupeKey } from '../scanner/toCredentialEvent.js';
import { expectedLapseOf } from './ConnectionCredentialFacts.js';
import type { AttemptOutcome, Transition } from './nextConnectionState.js';
import { misconfiguredSeverity, refreshFailureSeverity } from './refreshFailureSeverity.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * The events one attempt produces: `token.refreshed` on every success (metrics), and the notice the
 * state transition asked for. Events carry names, codes and dates only.
 */
export function toConnectionEvents(
  outcome: AttemptOutcome,
  previous: ConnectionState | undefined,
  transition: Transition,
  homeTenantId: string,
  now: DateTime,
): VigilEvent[] {
  const { state, notice } = transition;
  const events: VigilEvent[] = [];
  const common = commonFields(state, homeTenantId, outcome.kind === 'misconfigured' ? undefined : outcome.connection?.tags);
  if (outcome.kind === 'refreshed') {
    const lapse = expectedLapseOf(toIsoUtc(outcome.expectedLapse), outcome.clientSecret.endDateTime, outcome.clientSecret.kind)!;
    events.push(
      newEvent(
        {
          ...common,
          type: 'token.refreshed',
          severity: 'info',
          summary: `Refresh token ${state.name} was refreshed${outcome.wroteBack ? ' and the rotated token stored' : ''}.`,
          dedupeKey: `token.refreshed|${toConnectionKey(state)}|${state.lastAttempt ?? ''}`,
          data: {
            connection: state.name,
            vaultUrl: state.vaultUrl,
            wroteBack: outcome.wroteBack,
            expectedLapse: lapse.at,
            lapseCause: lapse.cause,
            scopes: outcome.grantedScopes,
          },
        },
        now,
      ),
    );
  }
  if (notice === 'recovered') {
    const failedSince = (previous?.status === 'failing' ? previous.failingSince : undefined) ?? state.lastAttempt ?? '';
    events.push(
      newEvent(
        {
          ...common,
          type: 'token.recovered',
          severity: 'info',
          summary: `Refresh token ${state.name}${downstreamText(state)} works again.`,
          dedupeKey: `token.recovered|${toConnectionKey(state)}|${failedSince}`,
          data: { connection: state.name, vaultUrl: state.vaultUrl, failedSince },
        },
        now,
      ),
    );
  }
  if (notice === 'failed') events.push(toFailedEvent(state, common, now));
  if (notice === 'misconfigured') events.push(toMisconfiguredEvent(state, homeTenantId, now));
  return events;
}

export function toMisconfiguredEvent(state: MisconfiguredConnectionState, homeTenantId: string, now: DateTime): VigilEvent {
  const { problems } = state;
  const digest = createHash('sha256').update(problems.join('\n')).digest('hex').slice(0, 16);
  return newEvent(
    {
      ...commonFields(state, homeTenantId, undefined),
      type: 'token.misconfigured',
      severity: misconfiguredSeverity,
      summary: `Token connection ${state.name} in ${new URL(state.vaultUrl).host} is misconfigured, so Vigil does not refresh it.`,
      impact: 'Vigil does not keep this refresh token alive: it lapses after 90 days without use, and a revocation goes unnoticed.',
      fix: `Fix the secret's tags (docs/tokens.md): ${problems.join('; ')}`,
      dedupeKey: `token.misconfigured|${toConnectionKey(state)}|${digest}`,
      data: { connection: state.name, vaultUrl: state.vaultUrl, problems },
    },
    now,
  );
}

/** The closing notice for a failing or misconfigured connection whose secret was deleted from its vault. */
export function toRemovedEvent(state: ConnectionState, homeTenantId: string, now: DateTime): VigilEvent {
  const status = state.status === 'misconfigured' ? 'misconfigured' : 'failing';
  return newEvent(
    {
      ...commonFields(state, homeTenantId, undefined),
      type: 'token.removed',
      severity: 'info',
      summary: `Token connection ${state.name}${downstreamText(state)} was deleted from ${new URL(state.vaultUrl).host}; Vigil no longer watches it.`,
      dedupeKey: `token.removed|${toConnectionKey(state)}|${state.lastAttempt ?? ''}`,
      data: { connection: state.name, vaultUrl: state.vaultUrl, status },
    },
    now,
  );
}

function toFailedEvent(state: FailingConnectionState, common: ReturnType<typeof commonFields>, now: DateTime): VigilEvent {
  const { failureClass } = state;
  const linked = state.linkedFinding;
  return newEvent(
    {
      ...common,
      type: 'token.refresh_failed',
      severity: refreshFailureSeverity[failureClass],
      summary: `Refresh token ${state.name}${downstreamText(state)} cannot be refreshed (${failureClass}, ${state.lastErrorCode})${
        linked
          ? `: the client secret of ${linked.subjectName} it signs in with ends ${linked.endDateTime.slice(0, 10)} (finding ${linked.findingId})`
          : ''
      }.`,
      impact: `${state.downstream ?? 'The connected app'} loses access to Microsoft 365 once its current access token expires${failureClass === 'transient' ? ', and the stored token lapses if this lasts' : ''}.`,
      fix: state.remediation,
      // One situation: this class of failure since the last success. Not the streak's start, which a retry
      // starts anew when the failed attempt's state could not be saved (and the alert was already out).
      // Tied to the scanner's finding, an expired secret is the situation the scan's credential.expired names: one alert.
      dedupeKey:
        linked && (linked.status === 'expired' || state.lastErrorCode === 'AADSTS7000222')
          ? credentialDedupeKey('credential.expired', linked.tenantId, linked.objectId, linked.keyId, 0)
          : `token.refresh_failed|${toConnectionKey(state)}|${failureClass}|${state.lastSuccess ?? 'never succeeded'}`,
      data: {
        connection: state.name,
        vaultUrl: state.vaultUrl,
        failureClass,
        code: state.lastErrorCode,
        ...(state.correlationId ? { correlationId: state.correlationId } : {}),
        whoMustAct: state.whoMustAct,
        consecutiveFailures: state.consecutiveFailures,
        ...(linked ? { linkedFinding: withoutStatus(linked) } : {}),
      },
    },
    now,
  );
}

function commonFields(state: ConnectionState, homeTenantId: string, tags: Record<string, string> | undefined) {
  return {
    tenantId: state.tenant ?? homeTenantId,
    subject: { kind: 'connection' as const, id: toConnectionKey(state), displayName: state.name },
    routing: {
      ...(state.owner ? { owner: state.owner } : {}),
      ...(state.team ? { team: state.team } : {}),
      ...(state.downstream ? { downstream: state.downstream } : {}),
      tags: tags ?? {},
    },
  };
}

const downstreamText = (state: ConnectionRef & { downstream?: string | undefined }) => (state.downstream ? ` (${state.downstream})` : '');

const withoutStatus = ({ status: _status, ...link }: NonNullable<FailingConnectionState['linkedFinding']>) => link;
