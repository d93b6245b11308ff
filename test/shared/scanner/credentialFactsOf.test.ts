import { describe, expect, it } from 'vitest';
import { credentialFactsOf, type FactsContext } from '../../../shared/scanner/credentialFactsOf.js';
import type { DirectoryObject } from '../../../shared/scanner/DirectoryObject.js';
import { inDays } from './scannerFixtures.js';

const context: FactsContext = {
  tenantId: 't1',
  portal: 'https://portal.azure.us',
  copyOf: (appId, keyId) => (appId === 'app-1' && keyId === 'p-old' ? { vaultUrl: 'https://vault', secretName: 'app-secret' } : undefined),
  isFederated: (objectId) => objectId === 'obj-federated',
};

const app = (overrides: Partial<DirectoryObject> = {}): DirectoryObject => ({
  kind: 'application',
  id: 'obj-1',
  appId: 'app-1',
  displayName: 'Creatio CRM',
  passwordCredentials: [],
  keyCredentials: [],
  preferredSingleSignOnMode: null,
  preferredTokenSigningKeyEndDateTime: null,
  ...overrides,
});

describe('credentialFactsOf', () => {
  it("types an application's secrets and certificates, each outlived only by its own kind", () => {
    const facts = credentialFactsOf(
      app({
        passwordCredentials: [
          { keyId: 'p-old', displayName: 'old', endDateTime: inDays(10) },
          { keyId: 'p-new', displayName: 'new', endDateTime: inDays(300) },
        ],
        keyCredentials: [{ keyId: 'c-1', displayName: 'CN=crm', endDateTime: inDays(500), usage: 'Verify', customKeyIdentifier: 'AB' }],
      }),
      context,
    );
    expect(facts.map((f) => [f.keyId, f.credentialType, f.outlivedBy?.keyId ?? null, f.vaultCopy?.secretName ?? null])).toEqual([
      ['p-old', 'password', 'p-new', 'app-secret'],
      ['p-new', 'password', null, null],
      ['c-1', 'certificate', null, null],
    ]);
    expect(facts[0]!.portalUrl).toBe(
      'https://portal.azure.us/#@t1/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/app-1',
    );
  });

  it('names as the replacement the same-type credential that ends last, whatever the order Graph lists them in', () => {
    // Secrets by end in days, listed out of order; a certificate ending later outlives none of them.
    const ends = { 'p-mid': 100, 'p-last': 400, 'p-first': 5, 'p-next': 200 };
    const passwordCredentials = Object.entries(ends).map(([keyId, days]) => ({ keyId, displayName: keyId, endDateTime: inDays(days) }));
    const certificate = { keyId: 'c-1', displayName: 'CN=crm', endDateTime: inDays(900) };
    const facts = credentialFactsOf(app({ passwordCredentials, keyCredentials: [certificate] }), context);
    expect(facts.map((f) => [f.keyId, f.outlivedBy])).toEqual([
      ['p-mid', { keyId: 'p-last', endDateTime: inDays(400) }],
      ['p-last', null],
      ['p-first', { keyId: 'p-last', endDateTime: inDays(400) }],
      ['p-next', { keyId: 'p-last', endDateTime: inDays(400) }],
      ['c-1', null],
    ]);
  });

  it('makes no facts for a service principal with no credential and no SAML signing date', () => {
    expect(credentialFactsOf(app({ kind: 'servicePrincipal', preferredSingleSignOnMode: 'saml' }), context)).toEqual([]);
  });

  it('reports a SAML certificate once, not its Verify twin or key password', () => {
    const facts = credentialFactsOf(
      app({
        kind: 'servicePrincipal',
        id: 'sp-1',
        preferredSingleSignOnMode: 'saml',
        preferredTokenSigningKeyEndDateTime: inDays(25),
        keyCredentials: [
          { keyId: 'sign', displayName: 'CN=SSO', endDateTime: inDays(25), usage: 'Sign', customKeyIdentifier: 'THUMB' },
          { keyId: 'verify', displayName: 'CN=SSO', endDateTime: inDays(25), usage: 'Verify', customKeyIdentifier: 'THUMB' },
        ],
        passwordCredentials: [{ keyId: 'pw', displayName: null, endDateTime: inDays(25), customKeyIdentifier: 'THUMB' }],
      }),
      context,
    );
    expect(facts.map((f) => [f.keyId, f.credentialType, f.subjectKind])).toEqual([['sign', 'samlSigning', 'servicePrincipal']]);
    expect(facts[0]!.portalUrl).toBe(
      'https://portal.azure.us/#@t1/view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Credentials/objectId/sp-1/appId/app-1',
    );
  });

  it('falls back on preferredTokenSigningKeyEndDateTime when no signing key is listed', () => {
    const facts = credentialFactsOf(
      app({ kind: 'servicePrincipal', preferredSingleSignOnMode: 'saml', preferredTokenSigningKeyEndDateTime: inDays(20) }),
      context,
    );
    expect(facts).toMatchObject([{ keyId: 'preferredTokenSigningKey', credentialType: 'samlSigning', endDateTime: inDays(20) }]);
  });
});
