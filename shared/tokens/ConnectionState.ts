import type { RefreshFailureClass } from '../events/vigilEvent.js';
import type { ClientSecretFacts, LinkedFinding } from './ClientSecretFacts.js';
import type { ConnectionRef } from './Connection.js';

export type ConnectionStatus = 'healthy' | 'failing' | 'misconfigured';

/**
 * What Vigil remembers per connection (one Table Storage row): status, the current failure streak and
 * what was said about it, and the stored token's version. Times are ISO strings. Never a token.
 */
export interface ConnectionState extends ConnectionRef {
  status: ConnectionStatus;
  failureClass?: RefreshFailureClass | undefined;
  lastSuccess?: string | undefined;
  lastAttempt?: string | undefined;
  consecutiveFailures: number;
  /** First failed attempt of the current streak. */
  failingSince?: string | undefined;
  lastErrorCode?: string | undefined;
  correlationId?: string | undefined;
  whoMustAct?: string | undefined;
  remediation?: string | undefined;
  /** The class a `token.refresh_failed` was published for in this streak, so each streak alerts once per class. */
  alertedClass?: RefreshFailureClass | undefined;
  /** When the planner should next queue this connection. */
  nextAttemptAt?: string | undefined;
  /** The stored token's version and when it was created: a different version means someone replaced it. */
  tokenVersion?: string | undefined;
  tokenCreatedOn?: string | undefined;
  lastWriteBack?: string | undefined;
  expectedLapse?: string | undefined;
  grantedScopes?: string | undefined;
  /** The client secret it signs in with, as last read: its end may come before the refresh token's lapse. */
  clientSecret?: ClientSecretFacts | undefined;
  /** While failing on an expired or invalid client secret: the scanner's finding for that secret. */
  linkedFinding?: LinkedFinding | undefined;
  /** Tag problems of a misconfigured connection. */
  problems?: string[] | undefined;
  tenant?: string | undefined;
  owner?: string | undefined;
  team?: string | undefined;
  downstream?: string | undefined;
}
