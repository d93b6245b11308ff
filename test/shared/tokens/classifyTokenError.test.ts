import { describe, expect, it } from 'vitest';
import { classifyTokenError } from '../../../shared/tokens/classifyTokenError.js';
import type { TokenFailure } from '../../../shared/tokens/TokenEndpoint.js';
import { connection } from './tokenTestData.js';

const rejected = (fields: Partial<Extract<TokenFailure, { kind: 'rejected' }>>): TokenFailure => ({
  kind: 'rejected',
  status: 400,
  error: 'invalid_grant',
  suberror: undefined,
  codes: [],
  correlationId: 'corr-1',
  retryAfterMs: undefined,
  ...fields,
});

describe('classifyTokenError', () => {
  it.each([
    [700082, 'revoked'],
    [70008, 'revoked'],
    [50173, 'revoked'],
    [70043, 'revoked'],
    [700084, 'revoked'],
    [50057, 'revoked'],
    [65001, 'consentWithdrawn'],
    [50076, 'interactionRequired'],
    [50079, 'interactionRequired'],
    [53003, 'interactionRequired'],
    [7000215, 'clientCredentialProblem'],
    [7000222, 'clientCredentialProblem'],
    [7000218, 'clientCredentialProblem'],
    [700016, 'appMissing'],
    [7000112, 'appMissing'],
    [90002, 'configError'],
  ] as const)('AADSTS%i is %s', (code, failureClass) => {
    const result = classifyTokenError(rejected({ codes: [code] }), connection());
    expect(result).toMatchObject({ failureClass, code: `AADSTS${code}`, correlationId: 'corr-1' });
  });

  it.each([
    [{ error: 'interaction_required' }, 'interactionRequired', 'interaction_required'],
    [{ error: 'invalid_scope' }, 'configError', 'invalid_scope'],
    [{ error: 'temporarily_unavailable', status: 503 }, 'transient', 'temporarily_unavailable'],
    [{ error: 'invalid_grant', suberror: 'consent_required' }, 'consentWithdrawn', 'invalid_grant'],
    [{ error: undefined, status: 503 }, 'transient', 'HTTP 503'],
    [{ error: undefined, status: 429, retryAfterMs: 7000 }, 'transient', 'HTTP 429'],
  ] as const)('without a known code, %o is %s', (fields, failureClass, code) => {
    expect(classifyTokenError(rejected(fields), connection())).toMatchObject({ failureClass, code });
  });

  it('prefers the AADSTS code over the suberror', () => {
    expect(classifyTokenError(rejected({ codes: [50076], suberror: 'bad_token' }), connection()).failureClass).toBe('interactionRequired');
  });

  it('reports an unknown code as unknown, with the code, even for invalid_grant', () => {
    const result = classifyTokenError(rejected({ codes: [9999999] }), connection());
    expect(result).toMatchObject({ failureClass: 'unknown', code: 'AADSTS9999999' });
    expect(result.cause).toContain('AADSTS9999999');
  });

  it('treats an unreachable endpoint as transient, coded network', () => {
    expect(classifyTokenError({ kind: 'unreachable', reason: 'TypeError ECONNREFUSED' }, connection())).toMatchObject({
      failureClass: 'transient',
      code: 'network',
      correlationId: undefined,
    });
  });

  it('passes Retry-After through', () => {
    expect(classifyTokenError(rejected({ status: 429, error: undefined, retryAfterMs: 7000 }), connection()).retryAfterMs).toBe(7000);
  });

  it('says who must act and where, by name', () => {
    const revoked = classifyTokenError(rejected({ codes: [50173] }), connection());
    expect(revoked.whoMustAct).toBe('ops@contoso.com signs in again to Cerb (app 44f628de-020f-43a1-ad06-1b052459bdc3)');
    expect(revoked.remediation).toContain('contoso-vigil.vault.azure.net/cerb-mailbox');
    const credential = classifyTokenError(rejected({ status: 401, error: 'invalid_client', codes: [7000222] }), connection());
    expect(credential.remediation).toContain('contoso-vigil.vault.azure.net/cerb-client-secret');
    expect(credential.remediation).toContain('secret-expiry finding');
  });
});
