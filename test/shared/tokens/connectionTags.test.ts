import { describe, expect, it } from 'vitest';
import { readConnectionTags } from '../../../shared/tokens/connectionTags.js';
import { fitScopes } from '../../../shared/tokens/toWrittenBackTags.js';
import { CLIENT_ID, goodTags, TENANT_ID, VAULT_URL } from './tokenTestData.js';

const ref = { vaultUrl: VAULT_URL, name: 'cerb-mailbox' };

describe('readConnectionTags', () => {
  it('reads complete tags into a connection', () => {
    expect(readConnectionTags(ref, { ...goodTags(), 'other-tag': 'x' })).toEqual({
      kind: 'connection',
      connection: {
        ...ref,
        tenant: TENANT_ID,
        clientId: CLIENT_ID,
        credential: { kind: 'clientSecret', secretName: 'cerb-client-secret' },
        scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
        cloud: 'global',
        owner: 'ops@contoso.com',
        downstream: 'Cerb',
        tags: goodTags(),
      },
    });
  });

  it('reads a certificate credential instead of a client secret, and refuses a connection naming both', () => {
    const { 'vigil-client-secret-name': _secret, ...tags } = goodTags();
    expect(readConnectionTags(ref, { ...tags, 'vigil-client-certificate-name': 'cerb-certificate' })).toMatchObject({
      kind: 'connection',
      connection: { credential: { kind: 'certificate', secretName: 'cerb-certificate' } },
    });
    expect(readConnectionTags(ref, { ...goodTags(), 'vigil-client-certificate-name': 'cerb-certificate' })).toEqual({
      kind: 'misconfigured',
      problems: [
        'vigil-client-certificate-name: a connection uses one credential; remove vigil-client-secret-name or vigil-client-certificate-name',
      ],
    });
  });

  it('ignores secrets that are not token connections', () => {
    expect(readConnectionTags(ref, {})).toEqual({ kind: 'notAConnection' });
    expect(readConnectionTags(ref, { 'vigil-kind': 'client-secret' })).toEqual({ kind: 'notAConnection' });
  });

  it('defaults the cloud to global and accepts a tenant domain', () => {
    const { 'vigil-cloud': _cloud, ...tags } = goodTags();
    const reading = readConnectionTags(ref, { ...tags, 'vigil-tenant': 'contoso.onmicrosoft.com' });
    expect(reading).toMatchObject({ kind: 'connection', connection: { cloud: 'global', tenant: 'contoso.onmicrosoft.com' } });
  });

  it('names every missing or malformed tag at once', () => {
    const reading = readConnectionTags(ref, {
      'vigil-kind': 'delegated-refresh-token',
      'vigil-client-id': 'not-a-guid',
      'vigil-cloud': 'moon',
      'vigil-scopes': '  ',
    });
    expect(reading).toEqual({
      kind: 'misconfigured',
      problems: [
        'vigil-tenant: is missing',
        'vigil-client-id: must be a GUID',
        'vigil-scopes: lists no scope',
        'vigil-cloud: must be one of global, usgov, usgovdod, china',
        "vigil-client-secret-name: is missing (or name the app's certificate in vigil-client-certificate-name)",
      ],
    });
  });

  it('requires room for the three tags Vigil writes (Key Vault allows 15)', () => {
    const crowded = { ...goodTags(), ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra-${i}`, 'x'])) };
    const reading = readConnectionTags(ref, crowded);
    expect(reading).toEqual({
      kind: 'misconfigured',
      problems: ['tags: the secret has 13 tags and Vigil needs room for 3 more; Key Vault allows 15 per secret'],
    });
    const written: Record<string, string> = {
      ...crowded,
      'vigil-last-refresh': 'x',
      'vigil-granted-scopes': 'x',
      'vigil-expected-lapse': 'x',
    };
    expect(readConnectionTags(ref, { ...written, 'extra-5': 'x' }).kind).toBe('misconfigured');
    const { 'extra-4': _e, ...fits } = written;
    expect(readConnectionTags(ref, fits).kind).toBe('connection');
  });
});

describe('fitScopes', () => {
  it('keeps a list that fits in a tag value, and whole scopes with a count otherwise', () => {
    expect(fitScopes(['a', 'b'])).toBe('a b');
    expect(fitScopes(['aaaa', 'bbbb', 'cccc'], 12)).toBe('aaaa +2 more');
    expect(
      fitScopes(Array.from({ length: 40 }, (_, i) => `https://graph.microsoft.com/Scope${i}.ReadWrite.All`)).length,
    ).toBeLessThanOrEqual(256);
  });
});
