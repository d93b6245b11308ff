import { describe, expect, it } from 'vitest';
import type { TokenAnswer } from '../../../../shared/adapters/entra/postTokenRequest.js';
import { parseTokenResponseBody } from '../../../../shared/adapters/entra/parseTokenResponseBody.js';
import { toTokenRefreshResult } from '../../../../shared/adapters/entra/toTokenRefreshResult.js';

/** An answer as postTokenRequest reads one: its body parsed as the token endpoint's JSON, `{}` when it is none. */
const answer = (status: number, text: string, headers: Record<string, string> = {}): TokenAnswer => ({
  status,
  header: (name) => headers[name.toLowerCase()],
  body: parseTokenResponseBody(text),
});
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => answer(status, JSON.stringify(body), headers);

describe('toTokenRefreshResult', () => {
  it('reads a grant with a rotated refresh token and the granted scopes', () => {
    const result = toTokenRefreshResult(
      json(200, {
        token_type: 'Bearer',
        access_token: 'at',
        refresh_token: 'rt',
        scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
        expires_in: 3599,
      }),
      'req-1',
    );
    expect(result).toEqual({
      kind: 'granted',
      refreshToken: 'rt',
      grantedScopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
      refreshTokenExpiresIn: undefined,
      correlationId: 'req-1',
    });
  });

  it('reads a grant without a refresh token as one to keep the stored token for', () => {
    expect(toTokenRefreshResult(json(200, { access_token: 'at', scope: '' }), 'r')).toMatchObject({
      kind: 'granted',
      refreshToken: undefined,
      grantedScopes: [],
    });
  });

  it("reads Entra's error body by code, never by description", () => {
    const body = {
      error: 'invalid_grant',
      error_description: 'AADSTS50173: The provided grant has expired …',
      error_codes: [50173],
      suberror: 'bad_token',
      correlation_id: 'corr-9',
    };
    const result = toTokenRefreshResult(json(400, body), 'r');
    expect(result).toEqual({
      kind: 'rejected',
      status: 400,
      error: 'invalid_grant',
      suberror: 'bad_token',
      codes: [50173],
      correlationId: 'corr-9',
      retryAfterMs: undefined,
    });
    expect(JSON.stringify(result)).not.toContain('expired');
  });

  it('reads a non-JSON 503 with Retry-After', () => {
    const result = toTokenRefreshResult(answer(503, '<html>busy</html>', { 'retry-after': '7' }), 'r');
    expect(result).toEqual({
      kind: 'rejected',
      status: 503,
      error: undefined,
      suberror: undefined,
      codes: [],
      correlationId: 'r',
      retryAfterMs: 7000,
    });
  });

  it('does not take an error object for an OAuth error', () => {
    expect(toTokenRefreshResult(json(503, { error: { code: 'InjectedFault' } }), 'r')).toMatchObject({
      error: undefined,
      status: 503,
    });
  });
});
