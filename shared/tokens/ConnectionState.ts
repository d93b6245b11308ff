import type { RefreshFailureClass } from '../events/vigilEvent.js';
import type { ConnectionCredentialFacts, LinkedFinding } from './ConnectionCredentialFacts.js';
import type { ConnectionRef } from './Connection.js';

/** What every connection's state holds, whatever its status. Times are ISO strings. Never a token. */
interface ConnectionStateBase extends ConnectionRef {
  lastSuccess?: string | undefined;
  lastAttempt?: string | undefined;
  /** Failed attempts in the current streak: 0 unless failing. */
  consecutiveFailures: number;
  /** When the planner should next queue this connection. */
  nextAttemptAt?: string | undefined;
  /** The stored token's version and when it was created: a different version means someone replaced it. */
  tokenVersion?: string | undefined;
  tokenCreatedOn?: string | undefined;
  lastWriteBack?: string | undefined;
  expectedLapse?: string | undefined;
  grantedScopes?: string | undefined;
  /** The client secret it signs in with, as last read: its end may come before the refresh token's lapse. */
  clientSecret?: ConnectionCredentialFacts | undefined;
  tenant?: string | undefined;
  owner?: string | undefined;
  team?: string | undefined;
  downstream?: string | undefined;
}

export type HealthyConnectionState = ConnectionStateBase & { status: 'healthy' };

/** A failure streak: what failed since when, what was said about it and who must act. */
export type FailingConnectionState = ConnectionStateBase & {
  status: 'failing';
  failureClass: RefreshFailureClass;
  /** First failed attempt of the current streak. */
  failingSince: string;
  lastErrorCode: string;
  correlationId?: string | undefined;
  whoMustAct: string;
  remediation: string;
  /** The class a `token.refresh_failed` was published for in this streak, so each streak alerts once per class. */
  alertedClass?: RefreshFailureClass | undefined;
  /** While failing on an expired or invalid client secret: the scanner's finding for that secret. */
  linkedFinding?: LinkedFinding | undefined;
};

/** The secret's tags do not describe a connection Vigil can refresh. */
export type MisconfiguredConnectionState = ConnectionStateBase & { status: 'misconfigured'; problems: string[] };

/**
 * What Vigil remembers per connection (one Table Storage row), typed by status: a failing connection
 * always has its failure, a misconfigured one its problems, a healthy one neither.
 */
export type ConnectionState = HealthyConnectionState | FailingConnectionState | MisconfiguredConnectionState;

export type ConnectionStatus = ConnectionState['status'];

/** The scanner's finding a failing connection is tied to; only a failure streak has one. */
export const linkedFindingOf = (state: ConnectionState): LinkedFinding | undefined =>
  state.status === 'failing' ? state.linkedFinding : undefined;
