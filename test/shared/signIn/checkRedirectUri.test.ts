import { describe, expect, it } from 'vitest';
import { checkRedirectUri, type RegisteredRedirectUris } from '../../../shared/signIn/checkRedirectUri.js';

const apps = (found: RegisteredRedirectUris) => ({ redirectUris: async () => found });
const check = (found: RegisteredRedirectUris, callback: string) => checkRedirectUri(apps(found), 't', 'c', callback);

describe('checkRedirectUri', () => {
  it.each([
    [['https://vigil.example/api/signed-in'], 'https://vigil.example/api/signed-in', 'registered'],
    [['https://vigil.example/api/Signed-In'], 'https://vigil.example/api/signed-in', 'missing'],
    [['https://vigil.example/api/signed-in/'], 'https://vigil.example/api/signed-in', 'missing'],
    [['https://other.example/api/signed-in'], 'https://vigil.example/api/signed-in', 'missing'],
    [['http://localhost/api/signed-in'], 'http://localhost:7071/api/signed-in', 'registered'],
    [['http://localhost:5000/api/signed-in'], 'http://localhost:7071/api/signed-in', 'registered'],
    [['https://localhost/api/signed-in'], 'http://localhost:7071/api/signed-in', 'missing'],
    [[], 'https://vigil.example/api/signed-in', 'missing'],
  ])('%j against %s is %s (exact, but any port on localhost, as Entra matches)', async (uris, callback, kind) => {
    expect((await check({ kind: 'found', uris }, callback)).kind).toBe(kind);
  });

  it('passes on why it could not check', async () => {
    expect(await check({ kind: 'unchecked', reason: 'no client' }, 'https://x.example/api/signed-in')).toEqual({
      kind: 'unchecked',
      reason: 'no client',
    });
  });
});
