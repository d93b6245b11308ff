import { describe, expect, it } from 'vitest';
import { severities } from '../../../shared/events/vigilEvent.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { refreshFailureSeverity } from '../../../shared/tokens/refreshFailureSeverity.js';
import { NOW, facts, inDays, policy } from '../scanner/scannerFixtures.js';

const rank = (s: (typeof severities)[number]) => severities.indexOf(s);

describe('refreshFailureSeverity', () => {
  it('ranks a connection that is broken now with an expired credential nothing replaced', () => {
    const expired = evaluateCredential(facts({ endDateTime: inDays(-2) }), policy, NOW)!;
    for (const failureClass of ['revoked', 'consentWithdrawn', 'interactionRequired', 'clientCredentialProblem', 'appMissing'] as const)
      expect(refreshFailureSeverity[failureClass], failureClass).toBe(expired.severity);
  });

  it('ranks every failing connection above a secret with days left', () => {
    const tenDaysLeft = evaluateCredential(facts({ endDateTime: inDays(10) }), policy, NOW)!;
    for (const [failureClass, severity] of Object.entries(refreshFailureSeverity))
      expect(rank(severity), failureClass).toBeGreaterThanOrEqual(rank(tenDaysLeft.severity));
    expect(refreshFailureSeverity.transient).toBe('high');
  });
});
