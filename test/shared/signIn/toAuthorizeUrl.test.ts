import { describe, expect, it } from 'vitest';
import { toAuthorizeUrl } from '../../../shared/signIn/toAuthorizeUrl.js';

describe('toAuthorizeUrl', () => {
  it('asks the connection cloud for a code with PKCE S256, state, nonce, login_hint and OpenID scopes first', () => {
    const url = new URL(
      toAuthorizeUrl({
        loginHost: 'https://login.microsoftonline.us/',
        tenant: 'contoso.onmicrosoft.us',
        clientId: '44f628de-020f-43a1-ad06-1b052459bdc3',
        redirectUri: 'https://vigil.example/api/signed-in',
        scopes: ['offline_access', 'https://outlook.office365.us/IMAP.AccessAsUser.All', 'openid'],
        state: 's',
        nonce: 'n',
        codeChallenge: 'c',
        loginHint: 'ops@contoso.onmicrosoft.us',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '44f628de-020f-43a1-ad06-1b052459bdc3',
      response_type: 'code',
      redirect_uri: 'https://vigil.example/api/signed-in',
      response_mode: 'query',
      scope: 'openid profile offline_access https://outlook.office365.us/IMAP.AccessAsUser.All',
      state: 's',
      nonce: 'n',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      login_hint: 'ops@contoso.onmicrosoft.us',
    });
  });
});
