import { describe, expect, it } from 'vitest';
import { checkOpenIdConfiguration } from '../../../shared/api/openIdConfiguration.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

describe('checkOpenIdConfiguration', () => {
  it('takes issuer and an https jwks_uri naming the tenant', async () => {
    const ok = Response.json({
      issuer: `https://login.example/${TENANT}/v2.0`,
      jwks_uri: `https://login.example/${TENANT}/discovery/v2.0/keys`,
    });
    expect(await checkOpenIdConfiguration(ok, TENANT)).toEqual({
      kind: 'found',
      configuration: { issuer: `https://login.example/${TENANT}/v2.0`, jwksUri: `https://login.example/${TENANT}/discovery/v2.0/keys` },
    });
  });

  it.each([
    ['an http jwks_uri', Response.json({ issuer: `https://x/${TENANT}/v2.0`, jwks_uri: 'http://x/keys' })],
    ["another tenant's issuer", Response.json({ issuer: 'https://x/someone-else/v2.0', jwks_uri: 'https://x/keys' })],
    ['an error status', new Response('', { status: 400 })],
  ])('refuses %s', async (_name, response) => {
    expect((await checkOpenIdConfiguration(response, TENANT)).kind).toBe('failed');
  });
});
