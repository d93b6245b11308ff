import { describe, expect, it } from 'vitest';
import { createTokenEndpoint } from '../../../../shared/adapters/entra/createTokenEndpoint.js';

// The checking half of a refresh, against a hand-built answer: no network.
describe('createTokenEndpoint', () => {
  it('reads a Retry-After date against its clock, not the wall clock', async () => {
    const twoDaysAhead = () => Date.now() + 2 * 86_400_000;
    const retryAt = new Date(twoDaysAhead() + 30_000).toUTCString();
    const endpoint = createTokenEndpoint({
      loginHost: () => 'https://login.example',
      fetch: async () => new Response(null, { status: 429, headers: { 'retry-after': retryAt } }),
      clock: twoDaysAhead,
    });
    const result = await endpoint.refresh({
      cloud: 'global',
      tenant: '11111111-1111-4111-8111-111111111111',
      clientId: '44f628de-020f-43a1-ad06-1b052459bdc3',
      credential: { kind: 'clientSecret', secret: 'client-secret-value' },
      refreshToken: 'rt-value',
      scopes: ['offline_access'],
    });
    if (result.kind !== 'rejected') throw new Error(result.kind);
    // The header's date has whole seconds: between 29 and 30 s from the clock's now.
    expect(result.retryAfterMs).toBeGreaterThan(28_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(30_000);
  });
});
