import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../shared/settings/loadSettings.js';

const valid = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  VIGIL_TENANT_ID: '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f',
  VIGIL_KEY_VAULT_URLS: 'https://a.vault.azure.net',
};
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadSettings({ ...valid, ...env });
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
};

describe('API and rotation settings', () => {
  it('default to api://vigil, no platform trust, 180-day secrets and a 7-day grace period', () => {
    const s = loadSettings(valid);
    expect([s.VIGIL_API_AUDIENCE, s.VIGIL_API_ALLOWED_TENANTS, s.VIGIL_TRUST_PLATFORM_AUTH]).toEqual([['api://vigil'], undefined, false]);
    expect([s.VIGIL_ROTATION_SCHEDULE, s.VIGIL_ROTATION_LIFETIME_DAYS, s.VIGIL_ROTATION_GRACE_HOURS, s.VIGIL_ROTATION_RULES]).toEqual([
      '0 */15 * * * *',
      180,
      168,
      undefined,
    ]);
  });

  it('parse lists, flags, "never" and rules', () => {
    const s = loadSettings({
      ...valid,
      VIGIL_API_AUDIENCE: 'api://vigil, 5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c',
      VIGIL_API_ALLOWED_TENANTS: '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f,c0ffee00-1234-4abc-8def-0123456789ab',
      VIGIL_TRUST_PLATFORM_AUTH: 'true',
      VIGIL_ROTATION_GRACE_HOURS: 'never',
      VIGIL_ROTATION_RULES: '[{"appId":"5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c","vaultSecretName":"creatio","withinDays":30}]',
    });
    expect(s.VIGIL_API_AUDIENCE).toEqual(['api://vigil', '5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c']);
    expect(s.VIGIL_API_ALLOWED_TENANTS).toHaveLength(2);
    expect(s.VIGIL_TRUST_PLATFORM_AUTH).toBe(true);
    expect(s.VIGIL_ROTATION_GRACE_HOURS).toBe('never');
    expect(s.VIGIL_ROTATION_RULES).toEqual([{ appId: '5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c', vaultSecretName: 'creatio', withinDays: 30 }]);
  });

  it('name each malformed one in one error', () => {
    const problems = problemsOf({
      VIGIL_TRUST_PLATFORM_AUTH: 'yes',
      VIGIL_ROTATION_LIFETIME_DAYS: '731',
      VIGIL_ROTATION_GRACE_HOURS: 'soon',
      VIGIL_ROTATION_RULES: '{"appId":',
      VIGIL_API_ALLOWED_TENANTS: 'contoso',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'VIGIL_API_ALLOWED_TENANTS',
      'VIGIL_ROTATION_GRACE_HOURS',
      'VIGIL_ROTATION_LIFETIME_DAYS',
      'VIGIL_ROTATION_RULES',
      'VIGIL_TRUST_PLATFORM_AUTH',
    ]);
  });
});
