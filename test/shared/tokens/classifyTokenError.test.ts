import { describe, expect, it } from 'vitest';
import { parseTokenResponseBody } from '../../../shared/adapters/entra/parseTokenResponseBody.js';
import { toTokenRefreshResult } from '../../../shared/adapters/entra/toTokenRefreshResult.js';
import type { TokenFailure } from '../../../shared/tokens/TokenPorts.js';
import { classifyTokenError } from '../../../shared/tokens/classifyTokenError.js';
import { byAadstsCode } from '../../../shared/tokens/tokenErrorTable.js';
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
    expect(classifyTokenError({ kind: 'unreachable', reason: 'ECONNREFUSED' }, connection())).toMatchObject({
      failureClass: 'transient',
      code: 'network',
      correlationId: undefined,
    });
    // Not "could not be reached": the code may be an answer cut short or one Node could not parse.
    expect(classifyTokenError({ kind: 'unreachable', reason: 'HPE_INVALID_CONSTANT' }, connection()).cause).toBe(
      'the token endpoint gave no answer (HPE_INVALID_CONSTANT)',
    );
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

/** Entra's answer as Vigil's token endpoint adapter reads it, then classified: the path a real refresh takes. */
function classify(status: number, body: unknown) {
  const result = toTokenRefreshResult({ status, header: () => undefined, body: parseTokenResponseBody(JSON.stringify(body)) }, 'req-1');
  if (result.kind !== 'rejected') throw new Error('expected a rejection');
  return { failure: result, classified: classifyTokenError(result, connection()) };
}

describe('Entra error bodies as they really come', () => {
  it('reads the code from the description when the body has no error_codes (expired client secret)', async () => {
    // Quoted in JetBrains/azure-tools-for-intellij#283 (adal4j): a 401 whose body has no error_codes.
    const { failure, classified } = classify(401, {
      error_description:
        'AADSTS7000222: The provided client secret keys are expired.\r\nTrace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500\r\nCorrelation ID: 8ade3bab-dcdb-4307-b6a6-d65e9c66156c\r\nTimestamp: 2020-03-31 07:31:31Z',
      error: 'invalid_client',
    });
    expect(failure.codes).toEqual([7000222]);
    expect(classified).toMatchObject({ failureClass: 'clientCredentialProblem', code: 'AADSTS7000222' });
    expect(JSON.stringify(failure)).not.toContain('expired');
  });

  it('reads the code of an inactivity lapse from the description alone', async () => {
    // The description of Azure/azure-cli#14244's answer, without its error_codes.
    const { classified } = classify(400, {
      error: 'invalid_grant',
      error_description:
        'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2020-02-26T21:52:54.2810613Z and was inactive for 90.00:00:00.\r\nTrace ID: 6e94ade5-10de-4d67-909a-14d845813500\r\nCorrelation ID: 0e87b495-1e24-4882-be85-d012c216f4f6\r\nTimestamp: 2020-07-06 22:31:52Z',
    });
    expect(classified).toMatchObject({ failureClass: 'revoked', code: 'AADSTS700082' });
  });

  it('takes only the code that opens the description, never one quoted later in it', async () => {
    // Azure/azure-cli#856 (the v1 endpoint): "AADSTS70002: Error validating credentials. AADSTS70008: …".
    const { failure, classified } = classify(400, {
      error: 'invalid_grant',
      error_description:
        'AADSTS70002: Error validating credentials. AADSTS70008: The refresh token has expired due to inactivity. The token was issued on 2016-08-25T21:46:01.5591895Z and was inactive for 14.00:00:00.\r\nTrace ID: ed093f8f-fd6b-44d4-8446-4ef437995d14\r\nCorrelation ID: 86bea907-bda8-40e0-a9f3-661d1f5fdac7\r\nTimestamp: 2016-09-09 18:49:50Z',
    });
    expect(failure.codes).toEqual([70002]);
    expect(classified).toMatchObject({ failureClass: 'unknown', code: 'AADSTS70002' });
    expect(classified.cause).toContain('AADSTS70002');
  });

  it('falls back on error and suberror when no code can be read', async () => {
    const { failure, classified } = classify(400, {
      error: 'interaction_required',
      error_description: 'MSIS9615: the authorization server is a federation server, not Entra.',
    });
    expect(failure.codes).toEqual([]);
    expect(classified).toMatchObject({ failureClass: 'interactionRequired', code: 'interaction_required' });
  });

  it('classifies 70043 the same, with the same remediation, whichever fields the body has', async () => {
    const description =
      'AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2023-01-03T06:29:27.4842150Z and the maximum allowed lifetime for this request is 86400.\r\nTrace ID: 28d0f840-d8eb-4d2c-8f1a-a5fdabeb1e00\r\nCorrelation ID: 9bb5a2c1-213b-45a7-9b51-4a9f5daddb46\r\nTimestamp: 2023-01-26 07:53:55Z';
    const answers = [
      // Azure/azure-sdk-for-python#28478: invalid_grant with error_codes.
      { error: 'invalid_grant', error_description: description, error_codes: [70043] },
      // microsoft/vscode-azure-account#673: interaction_required with suberror token_expired (codes redacted in the quote).
      { error: 'interaction_required', error_description: description, suberror: 'token_expired' },
      { error: 'interaction_required', error_description: description, error_codes: [70043], suberror: 'token_expired' },
    ];
    const results = await Promise.all(answers.map(async (body) => classify(400, body).classified));
    for (const result of results) expect(result).toMatchObject({ failureClass: 'revoked', code: 'AADSTS70043' });
    expect(new Set(results.map((r) => r.remediation)).size).toBe(1);
    expect(new Set(results.map((r) => r.whoMustAct)).size).toBe(1);
  });
});

describe('one code, one class', () => {
  const failure = (codes: number[], error: string | undefined, suberror: string | undefined, status: number): TokenFailure => ({
    kind: 'rejected',
    status,
    error,
    suberror,
    codes,
    correlationId: undefined,
    retryAfterMs: undefined,
  });
  const errors = [undefined, 'invalid_grant', 'interaction_required', 'consent_required', 'invalid_client', 'temporarily_unavailable'];
  const suberrors = [undefined, 'bad_token', 'basic_action', 'consent_required', 'token_expired'];

  it.each([...byAadstsCode.keys()])('AADSTS%i has one class whatever error, suberror and status come with it', (code) => {
    const classes = new Set<string>();
    for (const error of errors)
      for (const suberror of suberrors)
        for (const status of [400, 401, 503])
          classes.add(classifyTokenError(failure([code], error, suberror, status), connection()).failureClass);
    expect([...classes]).toEqual([byAadstsCode.get(code)!.failureClass]);
  });
});
