import { DateTime } from 'luxon';
import type { ConnectionState } from './ConnectionState.js';
import type { RefreshPolicy } from './RefreshPolicy.js';

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
  expectedLapse: string | null;
  grantedScopes: string | null;
  lastWriteBack: string | null;
  owner: string | null;
  team: string | null;
  downstream: string | null;
  whoMustAct: string | null;
  problems: string[];
  nextAction: string;
}

export function toConnectionView(state: ConnectionState, policy: RefreshPolicy): ConnectionView {
  return {
    name: state.name,
    vaultUrl: state.vaultUrl,
    status: state.status,
    failureClass: state.failureClass ?? null,
    lastSuccess: state.lastSuccess ?? null,
    lastAttempt: state.lastAttempt ?? null,
    consecutiveFailures: state.consecutiveFailures,
    lastErrorCode: state.lastErrorCode ?? null,
    correlationId: state.correlationId ?? null,
    expectedLapse: state.expectedLapse ?? null,
    grantedScopes: state.grantedScopes ?? null,
    lastWriteBack: state.lastWriteBack ?? null,
    owner: state.owner ?? null,
    team: state.team ?? null,
    downstream: state.downstream ?? null,
    whoMustAct: state.status === 'failing' ? (state.whoMustAct ?? null) : null,
    problems: state.problems ?? [],
    nextAction: describeNextAction(state, policy),
  };
}

/** One line on what happens next, and whether a person is needed. */
export function describeNextAction(state: ConnectionState, policy: RefreshPolicy): string {
  const day = (iso: string | undefined) => (iso ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'") : '?');
  switch (state.status) {
    case 'misconfigured':
      return `fix the secret's tags: ${(state.problems ?? []).join('; ')}`;
    case 'failing':
      if (state.failureClass === 'transient')
        return `Vigil retries after ${day(state.nextAttemptAt)}${state.alertedClass ? ' (alert raised)' : ''}`;
      return `${state.whoMustAct ?? 'a person must act'}; Vigil probes again after ${day(state.nextAttemptAt)} or when a new token is stored`;
    case 'healthy': {
      const writeBack = state.tokenCreatedOn
        ? DateTime.fromISO(state.tokenCreatedOn, { zone: 'utc' }).plus(policy.writeBackAge).toUTC().toISO()!
        : undefined;
      return `probe after ${day(state.nextAttemptAt)}; rotated token stored from ${day(writeBack)}`;
    }
  }
}
