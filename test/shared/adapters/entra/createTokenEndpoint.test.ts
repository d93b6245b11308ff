import { describe, expect, it } from 'vitest';
import { createTokenEndpoint } from '../../../../shared/adapters/entra/createTokenEndpoint.js';
import type { PostTokenRequest } from '../../../../shared/adapters/entra/postTokenRequest.js';
import type { TokenRefreshRequest } from '../../../../shared/tokens/TokenPorts.js';

const request: TokenRefreshRequest = {
  cloud: 'global',
  tenant: '11111111-1111-4111-8111-111111111111',
  clientId: '44f628de-020f-43a1-ad06-1b052459bdc3',
  credential: { kind: 'clientSecret', secret: 'client-secret-value' },
  refreshToken: 'rt-value',
  scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
};

// The checking half of a refresh, against a hand-built answer: no network.
describe('createTokenEndpoint', () => {
  it('reads a Retry-After date against its clock, not the wall clock', async () => {
    const twoDaysAhead = () => Date.now() + 2 * 86_400_000;
    const retryAt = new Date(twoDaysAhead() + 30_000).toUTCString();
    const endpoint = createTokenEndpoint({
      loginHost: () => 'https://login.example',
      post: async () => ({ status: 429, header: (name) => (name === 'retry-after' ? retryAt : undefined), body: {} }),
      clock: twoDaysAhead,
    });
    const result = await endpoint.refresh(request);
    if (result.kind !== 'rejected') throw new Error(result.kind);
    // The header's date has whole seconds: between 29 and 30 s from the clock's now.
    expect(result.retryAfterMs).toBeGreaterThan(28_000);
    expect(result.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("sends the refresh_token grant with the app's client secret, the scopes and a fresh client-request-id", async () => {
    const sent: Array<{ url: string; form: Record<string, string>; headers: Record<string, string> }> = [];
    const post: PostTokenRequest = async (url, form, headers) => {
      sent.push({ url, form: Object.fromEntries(form), headers: Object.fromEntries(headers) });
      return { status: 200, header: () => undefined, body: { access_token: 'at', refresh_token: 'rt-2', scope: 'x' } };
    };
    const endpoint = createTokenEndpoint({ loginHost: () => 'https://login.example/', post });
    expect(await endpoint.refresh(request)).toMatchObject({ kind: 'granted', refreshToken: 'rt-2', grantedScopes: ['x'] });
    await endpoint.refresh(request);
    expect(sent[0]).toEqual({
      url: `https://login.example/${request.tenant}/oauth2/v2.0/token`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: 'rt-value',
        scope: 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
        client_id: request.clientId,
        client_secret: 'client-secret-value',
      },
      headers: { accept: 'application/json', 'client-request-id': expect.any(String) as string, 'return-client-request-id': 'true' },
    });
    expect(sent[1]!.headers['client-request-id']).not.toBe(sent[0]!.headers['client-request-id']);
  });

  it('throws what is no failure of the send itself, rather than calling it unreachable', async () => {
    const endpoint = createTokenEndpoint({
      loginHost: () => 'https://login.example',
      post: () => Promise.reject(new Error('must not be sent')),
    });
    // A certificate credential whose key cannot sign fails while the request is built, before anything is sent.
    const broken = { ...request, credential: { kind: 'certificate', certificate: {} } } as unknown as TokenRefreshRequest;
    await expect(endpoint.refresh(broken)).rejects.toThrow();
  });

  it('throws a request that could not be made, rather than retrying it for ever as unreachable', async () => {
    // The real sender: node rejects the URL before anything is sent.
    const endpoint = createTokenEndpoint({ loginHost: () => 'not a login host' });
    await expect(endpoint.refresh(request)).rejects.toMatchObject({ code: 'ERR_INVALID_URL' });
    const buggy = createTokenEndpoint({ loginHost: () => 'https://login.example', post: () => Promise.reject(new TypeError('a bug')) });
    await expect(buggy.refresh(request)).rejects.toThrow('a bug');
  });
});
