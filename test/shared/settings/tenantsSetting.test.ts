import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../shared/settings/loadSettings.js';
import { scanTargets } from '../../../shared/settings/tenantsSetting.js';

const HOME = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';
const OTHER = 'fab0fab0-2222-4bbb-9ccc-0123456789ab';
const base = {
  VIGIL_TENANT_ID: HOME,
  VIGIL_KEY_VAULT_URLS: 'https://v.vault.azure.net',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
};
const problemsOf = (env: Record<string, string>) => {
  try {
    loadSettings({ ...base, ...env });
    return [];
  } catch (error) {
    return (error as SettingsError).problems;
  }
};

describe('scanner settings', () => {
  it("defaults to the home tenant with Vigil's own identity and the documented ladder", () => {
    const settings = loadSettings(base);
    expect(scanTargets(settings)).toEqual([
      { tenantId: HOME, displayName: 'Home tenant', cloud: 'global', auth: { kind: 'managedIdentity' }, routing: {} },
    ]);
    expect(settings.VIGIL_EXPIRY_THRESHOLDS_DAYS).toEqual([60, 30, 14, 7, 3, 1]);
    expect([settings.VIGIL_STALE_AFTER_DAYS, settings.VIGIL_FULL_SCAN_EVERY_HOURS, settings.VIGIL_SCAN_SCHEDULE]).toEqual([
      30,
      24,
      '0 0 * * * *',
    ]);
  });

  it('reads tenants with their cloud, authentication and routing, and sorts a ladder', () => {
    const tenants = [
      { tenantId: HOME, displayName: 'Contoso', auth: { kind: 'managedIdentity' }, routing: { team: 'ops' } },
      {
        tenantId: OTHER,
        displayName: 'Fabrikam Gov',
        cloud: 'usgov',
        auth: { kind: 'clientSecret', clientId: '5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c', keyVaultSecretName: 'vigil-fabrikam' },
      },
    ];
    const settings = loadSettings({ ...base, VIGIL_TENANTS: JSON.stringify(tenants), VIGIL_EXPIRY_THRESHOLDS_DAYS: '7, 90,30,7' });
    expect(scanTargets(settings).map((t) => [t.displayName, t.cloud, t.auth.kind, t.routing])).toEqual([
      ['Contoso', 'global', 'managedIdentity', { team: 'ops' }],
      ['Fabrikam Gov', 'usgov', 'clientSecret', {}],
    ]);
    expect(settings.VIGIL_EXPIRY_THRESHOLDS_DAYS).toEqual([90, 30, 7]);
  });

  it('names each problem in the tenants list, together with the others', () => {
    const tenants = [
      { tenantId: OTHER, displayName: 'Fabrikam', auth: { kind: 'managedIdentity' } },
      { tenantId: 'not-a-guid', displayName: 'X', cloud: 'mars', auth: { kind: 'clientSecret', keyVaultSecretName: 'a/b' } },
    ];
    expect(
      problemsOf({ VIGIL_TENANTS: JSON.stringify(tenants), VIGIL_EXPIRY_THRESHOLDS_DAYS: '30,abc', VIGIL_STALE_AFTER_DAYS: '0' }),
    ).toEqual([
      expect.stringMatching(/^VIGIL_TENANTS: \[1\]\.tenantId: Invalid UUID/),
      expect.stringMatching(/^VIGIL_TENANTS: \[1\]\.cloud: Invalid option/),
      expect.stringMatching(/^VIGIL_TENANTS: \[1\]\.auth\.clientId: /),
      expect.stringMatching(/^VIGIL_TENANTS: \[1\]\.auth\.keyVaultSecretName: must be a Key Vault secret name/),
      expect.stringMatching(/^VIGIL_EXPIRY_THRESHOLDS_DAYS: /),
      expect.stringMatching(/^VIGIL_STALE_AFTER_DAYS: /),
    ]);
    expect(problemsOf({ VIGIL_TENANTS: JSON.stringify([tenants[0]]) })).toEqual([
      expect.stringMatching(/VIGIL_TENANTS: tenant fab0fab0-.* uses managedIdentity, which works only in the home tenant/),
    ]);
    expect(problemsOf({ VIGIL_TENANTS: '{oops' })).toEqual([expect.stringMatching(/^VIGIL_TENANTS: must be a JSON array/)]);
  });
});
