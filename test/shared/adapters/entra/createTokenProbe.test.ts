import { describe, expect, it } from 'vitest';
import { checkTokenResponse } from '../../../../shared/adapters/entra/createTokenProbe.js';

describe('checkTokenResponse (the probe of a new secret)', () => {
  it.each<[string, Response, unknown]>([
    ['a token', Response.json({ token_type: 'Bearer', access_token: 'eyJ...', expires_in: 3599 }), { kind: 'accepted' }],
    [
      'invalid_client (replication delay or a bad secret)',
      Response.json({ error: 'invalid_client', error_codes: [7000215] }, { status: 401 }),
      { kind: 'rejected', code: 'invalid_client AADSTS7000215' },
    ],
    [
      // JetBrains/azure-tools-for-intellij#283: an expired secret's 401 without error_codes.
      'invalid_client whose code is only in the description',
      Response.json(
        {
          error_description:
            'AADSTS7000222: The provided client secret keys are expired.\r\nTrace ID: 9b55ca53-4c86-49db-8aab-a3848f3a0500',
          error: 'invalid_client',
        },
        { status: 401 },
      ),
      { kind: 'rejected', code: 'invalid_client AADSTS7000222' },
    ],
    ['a 400 without a body', new Response('', { status: 400 }), { kind: 'rejected', code: 'HTTP 400' }],
    ['a 503', new Response('', { status: 503 }), { kind: 'unreachable', reason: 'HTTP 503' }],
  ])('%s', async (_name, response, expected) => {
    expect(await checkTokenResponse(response)).toEqual(expected);
  });
});
