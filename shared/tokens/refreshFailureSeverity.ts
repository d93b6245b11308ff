import type { RefreshFailureClass, Severity } from '../events/vigilEvent.js';

/**
 * How bad a failing token connection is, by what its failure means for the system that uses it:
 * - broken now (the grant is dead or its app cannot sign in: revoked, consent withdrawn, MFA or
 *   Conditional Access demands a sign-in, the client secret is wrong or expired, the app is gone):
 *   `critical`, with an expired credential that nothing replaced, above any secret with days left;
 * - Vigil cannot keep it alive or cannot tell whether it works (a transient failure that persisted,
 *   the vault or the tags in the way, a code not in the table): `high`, like a tenant that cannot be
 *   scanned. The token may still work today, but it lapses unseen if nobody acts.
 */
export const refreshFailureSeverity: Readonly<Record<RefreshFailureClass, Severity>> = {
  revoked: 'critical',
  consentWithdrawn: 'critical',
  interactionRequired: 'critical',
  clientCredentialProblem: 'critical',
  appMissing: 'critical',
  configError: 'high',
  transient: 'high',
  unknown: 'high',
};

/** A connection whose tags Vigil cannot use: it is neither refreshed nor checked, as with `configError`. */
export const misconfiguredSeverity: Severity = 'high';
