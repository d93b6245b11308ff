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
    ['a 400 without a body', new Response('', { status: 400 }), { kind: 'rejected', code: 'HTTP 400' }],
    ['a 503', new Response('', { status: 503 }), { kind: 'unreachable', reason: 'HTTP 503' }],
  ])('%s', async (_name, response, expected) => {
    expect(await checkTokenResponse(response)).toEqual(expected);
  });
});
