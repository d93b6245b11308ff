import { AuthenticationError } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { toVaultFailure } from '../../../../shared/adapters/keyVault/toVaultFailure.js';
import { toVaultProblem } from '../../../../shared/inventory/toVaultProblem.js';

describe('toVaultFailure', () => {
  it('reads Entra throttling Vigil’s token request as an outage that passes, not a missing identity', () => {
    const failure = toVaultFailure(new AuthenticationError(429, { error: 'temporarily_unavailable', error_description: 'throttled' }));
    const problem = toVaultProblem(failure, 'x');
    expect(problem).toMatchObject({ persistent: false });
    expect(problem.reason).toContain("Entra's token endpoint");
    expect(problem.reason).not.toContain('its own identity');
  });

  it('still reads a refused sign-in (a wrong secret) as Vigil’s identity failing, for a person to fix', () => {
    const failure = toVaultFailure(
      new AuthenticationError(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret' }),
    );
    expect(toVaultProblem(failure, 'x')).toMatchObject({ code: 'VigilAuthenticationFailed', persistent: true });
  });
});
