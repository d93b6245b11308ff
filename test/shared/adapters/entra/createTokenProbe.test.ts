import { describe, expect, it } from 'vitest';
import { checkTokenAnswer, createTokenProbe } from '../../../../shared/adapters/entra/createTokenProbe.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';

describe('checkTokenAnswer (the probe of a new secret)', () => {
  it.each<[string, { status: number; body: Record<string, unknown> }, unknown]>([
    ['a token', { status: 200, body: { token_type: 'Bearer', access_token: 'eyJ...', expires_in: 3599 } }, { kind: 'accepted' }],
    [
      'invalid_client (replication delay or a bad secret)',
      { status: 401, body: { error: 'invalid_client', error_codes: [7000215] } },
      { kind: 'rejected', code: 'invalid_client AADSTS7000215' },
    ],
    [
      // JetBrains/azure-tools-for-intellij#283: an expired secret's 401 without error_codes.
      'invalid_client whose code is only in the description',
      {
        status: 401,
        body: {
          error_description:
            'AADSTS7000222: The provided client secret keys are expired.\r\nTrace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500',
          error: 'invalid_client',
        },
      },
      { kind: 'rejected', code: 'invalid_client AADSTS7000222' },
    ],
    ['a 400 without a body', { status: 400, body: {} }, { kind: 'rejected', code: 'HTTP 400' }],
    ['a 503', { status: 503, body: {} }, { kind: 'unreachable', reason: 'HTTP 503' }],
  ])('%s', (_name, answer, expected) => {
    expect(checkTokenAnswer(answer)).toEqual(expected);
  });
});

describe('a token request the probe cannot make (vigilFault)', () => {
  it('is a failure for good, not an unreachable Entra, and leaves its class and stack frames in the log once, never its message', async () => {
    const logged: string[] = [];
    const probe = createTokenProbe('login.example without a scheme', 'https://graph.microsoft.com/.default', {
      vigilFaultLog: createVigilFaultLog((line) => logged.push(line)),
    });
    // Each rotation's probe fails, and gives its reason; the trace is logged the first time only.
    const [result, again] = [
      await probe.request('contoso', 'app-id', 'candidate-secret-value'),
      await probe.request('contoso', 'app-id', 'candidate-secret-value'),
    ];
    expect(again).toEqual(result);
    expect(result).toEqual({
      kind: 'failed',
      reason: "Vigil could not make its token request to check the new secret (TypeError): a fault in Vigil or its settings, not Entra's",
      transient: false,
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^Token request Vigil could not make \(vigilFault\): TypeError \(ERR_INVALID_URL\)\n\s+at /);
    // The message quotes the login URL: it must not reach the log. (The secret is in the form, never in the URL.)
    expect(logged[0]).not.toContain('login.example');
  });
});
