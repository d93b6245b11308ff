import { describe, expect, it } from 'vitest';
import type { FindingItem } from '../../cli/apiSchemas.js';
import { toRotationBody } from '../../cli/toRotationBody.js';

const finding: FindingItem = {
  id: 'f-2c1b5e8a7d9f0e3c4b6a',
  tenantId: 'tenant-1',
  tenantName: 'Contoso',
  subject: 'Creatio CRM',
  subjectKind: 'application',
  appId: 'app-1',
  keyId: 'key-1',
  vaultCopy: { vaultUrl: 'https://kv.vault.azure.net/', secretName: 'creatio-client-secret' },
  credentialType: 'password',
  credentialName: 'prod',
  endDateTime: '2026-12-14T00:00:00Z',
  daysLeft: 10,
  status: 'expiring',
  severity: 'high',
};
const target = { kind: 'finding' as const, findingId: finding.id };

describe('toRotationBody', () => {
  it('takes the app, the secret to replace, the tenant and the Key Vault copy from a finding', () => {
    expect(toRotationBody(target, { dryRun: true }, finding)).toEqual({
      tenantId: 'tenant-1',
      appId: 'app-1',
      keyId: 'key-1',
      vaultSecretName: 'creatio-client-secret',
      vaultUrl: 'https://kv.vault.azure.net/',
      dryRun: true,
    });
    // --secret names another secret: the finding's vault is not assumed for it.
    expect(toRotationBody(target, { dryRun: false, vaultSecretName: 'other', lifetimeDays: 90 }, finding)).toEqual({
      tenantId: 'tenant-1',
      appId: 'app-1',
      keyId: 'key-1',
      vaultSecretName: 'other',
      lifetimeDays: 90,
      dryRun: false,
    });
  });

  it('says why a finding cannot be rotated', () => {
    expect(toRotationBody(target, { dryRun: false })).toEqual({
      error: expect.stringContaining('no current finding f-2c1b5e8a7d9f0e3c4b6a'),
    });
    expect(toRotationBody(target, { dryRun: false }, { ...finding, credentialType: 'certificate' })).toEqual({
      error: expect.stringContaining("is not an app registration's client secret"),
    });
    expect(toRotationBody(target, { dryRun: false }, { ...finding, vaultCopy: null })).toEqual({
      error: expect.stringContaining('name the secret that receives the new one with --secret'),
    });
  });

  it('sends an app target as given', () => {
    expect(toRotationBody({ kind: 'app', appId: 'a' }, { tenantId: 't', vaultSecretName: 's', dryRun: false })).toEqual({
      tenantId: 't',
      appId: 'a',
      vaultSecretName: 's',
      dryRun: false,
    });
  });
});
