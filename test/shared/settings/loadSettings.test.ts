import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../shared/settings/loadSettings.js';

const valid = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  VIGIL_TENANT_ID: '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f',
  VIGIL_KEY_VAULT_URLS: 'https://a.vault.azure.net, https://b.vault.azure.net',
};

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadSettings', () => {
  it('applies defaults and splits lists', () => {
    const settings = loadSettings(valid);
    expect(settings.VIGIL_CLOUD).toBe('global');
    expect(settings.VIGIL_KEY_VAULT_URLS).toEqual(['https://a.vault.azure.net', 'https://b.vault.azure.net']);
    expect(settings.VIGIL_INVENTORY_SCHEDULE).toBe('0 0 6 * * *');
  });

  it('stops on a retired reminder setting, naming what replaced it, and defaults the reminder policy and digest window', () => {
    expect(problemsOf({ ...valid, VIGIL_REMINDER_EVERY_HOURS: '24' })).toEqual([
      expect.stringMatching(
        /^VIGIL_REMINDER_EVERY_HOURS: no longer used: .*VIGIL_REMINDERS_AFTER_LAPSE.*VIGIL_REMINDER_SCHEDULE.*Remove this setting$/,
      ),
    ]);
    expect(loadSettings(valid)).toMatchObject({
      VIGIL_REMINDER_SCHEDULE: '0 30 6 * * *',
      VIGIL_REMINDER_WITHIN_DAYS: 7,
      VIGIL_REMINDERS_AFTER_LAPSE: 6,
      VIGIL_DIGEST_WINDOW_SECONDS: 300,
    });
    expect(problemsOf({ ...valid, VIGIL_DIGEST_WINDOW_SECONDS: '-5', VIGIL_REMINDERS_AFTER_LAPSE: '0' })).toEqual([
      expect.stringMatching(/^VIGIL_REMINDERS_AFTER_LAPSE: /),
      expect.stringMatching(/^VIGIL_DIGEST_WINDOW_SECONDS: /),
    ]);
  });

  it('stops at a setting this version no longer reads, naming what replaced it', () => {
    expect(problemsOf({ ...valid, VIGIL_DELIVERY_MAX_ATTEMPTS: '6' })).toEqual([
      expect.stringMatching(/^VIGIL_DELIVERY_MAX_ATTEMPTS: is no longer read: .*VIGIL_DELIVERY_DEADLINE_HOURS/),
    ]);
    expect(loadSettings(valid)).toMatchObject({
      VIGIL_DELIVERY_DEADLINE_HOURS: 24,
      VIGIL_DELIVERY_INFO_DEADLINE_HOURS: 6,
      VIGIL_DELIVERY_FALLBACK_MINUTES: 30,
      VIGIL_DELIVERY_TIMEOUT_SECONDS: 15,
    });
    expect(problemsOf({ ...valid, VIGIL_DELIVERY_TIMEOUT_SECONDS: '60' })).toEqual([
      expect.stringMatching(/^VIGIL_DELIVERY_TIMEOUT_SECONDS: /),
    ]);
  });

  it('names every missing or malformed setting in one error', () => {
    const problems = problemsOf({
      VIGIL_CLOUD: 'mars',
      VIGIL_KEY_VAULT_URLS: 'http://insecure.example',
      VIGIL_INVENTORY_SCHEDULE: '0 6 * * *',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VIGIL_TENANT_ID: is required but not set$/),
        expect.stringMatching(/^VIGIL_CLOUD: /),
        expect.stringMatching(/^VIGIL_KEY_VAULT_URLS: /),
        expect.stringMatching(/^VIGIL_INVENTORY_SCHEDULE: must be a 6-field NCRONTAB/),
      ]),
    );
  });

  it('names where inside a JSON setting a value is missing or wrong', () => {
    const routes = (teams: unknown) => JSON.stringify({ defaultRoute: 'ops', routes: { ops: { teams } } });
    expect(problemsOf({ ...valid, VIGIL_ROUTES: routes([{ name: 'sec' }]) })).toEqual([
      'VIGIL_ROUTES: routes.ops.teams[0].urlSecretName is required but not set',
    ]);
    expect(problemsOf({ ...valid, VIGIL_ROUTES: routes([{ name: 'sec', urlSecretName: 7 }]) })).toEqual([
      expect.stringMatching(/^VIGIL_ROUTES: routes\.ops\.teams\[0\]\.urlSecretName: .*expected string, received number/),
    ]);
  });

  it('names an unknown key of a webhook endpoint, such as a misspelt batch', () => {
    const routes = JSON.stringify({
      defaultRoute: 'ops',
      routes: { ops: { webhooks: [{ name: 'crm', url: 'https://crm.example/in', signingSecretName: 'crm-key', batched: true }] } },
    });
    expect(problemsOf({ ...valid, VIGIL_ROUTES: routes })).toEqual([
      expect.stringMatching(/^VIGIL_ROUTES: routes\.ops\.webhooks\[0\]: .*batched/),
    ]);
  });

  it("takes Vigil's public base URL as a site root: https, or http on localhost", () => {
    expect(loadSettings({ ...valid, VIGIL_PUBLIC_BASE_URL: 'https://vigil.contoso.com/' }).VIGIL_PUBLIC_BASE_URL).toBe(
      'https://vigil.contoso.com',
    );
    expect(loadSettings({ ...valid, VIGIL_PUBLIC_BASE_URL: 'http://localhost:7071' }).VIGIL_PUBLIC_BASE_URL).toBe('http://localhost:7071');
    expect(problemsOf({ ...valid, VIGIL_PUBLIC_BASE_URL: 'http://vigil.contoso.com' })).toEqual([
      'VIGIL_PUBLIC_BASE_URL: must be an https URL (http only for localhost)',
    ]);
    expect(problemsOf({ ...valid, VIGIL_PUBLIC_BASE_URL: 'https://vigil.contoso.com/api' })).toEqual([
      'VIGIL_PUBLIC_BASE_URL: must be the site root, without a path or query',
    ]);
  });

  it('requires some way to reach storage', () => {
    const { AzureWebJobsStorage: _, ...withoutStorage } = valid;
    expect(problemsOf(withoutStorage)).toEqual([expect.stringMatching(/^AzureWebJobsStorage: set a connection string/)]);
    expect(problemsOf({ ...withoutStorage, AzureWebJobsStorage__accountName: 'vigilstore' })).toEqual([]);
  });

  it('rejects an unresolved Key Vault reference without echoing it', () => {
    const problems = problemsOf({
      ...valid,
      VIGIL_CLIENT_ID: '5e1a7c2d-0b3f-4a6e-9d8c-7b6a5f4e3d2c',
      VIGIL_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)',
    });
    expect(problems).toEqual([expect.stringMatching(/^VIGIL_CLIENT_SECRET: is an unresolved Key Vault reference/)]);
    expect(problems.join(' ')).not.toContain('SecretUri');
  });

  it('never puts a setting value in the message', () => {
    const secret = 'not-a-guid-but-very-secret-value';
    const error = (() => {
      try {
        loadSettings({ ...valid, VIGIL_CLIENT_SECRET: secret });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a settings error');
    })();
    expect(error.message).toMatch(/VIGIL_CLIENT_ID: required when VIGIL_CLIENT_SECRET is set/);
    expect(error.message).not.toContain(secret);
  });

  it('parses cloud endpoint overrides and rejects malformed JSON by name', () => {
    const settings = loadSettings({
      ...valid,
      VIGIL_CLOUD_ENDPOINTS: '{"usgov":{"login":"https://localhost:1","graph":"https://localhost:2"}}',
    });
    expect(settings.VIGIL_CLOUD_ENDPOINTS?.usgov).toEqual({ login: 'https://localhost:1', graph: 'https://localhost:2' });
    expect(problemsOf({ ...valid, VIGIL_CLOUD_ENDPOINTS: '{nope' })).toEqual([
      expect.stringMatching(/^VIGIL_CLOUD_ENDPOINTS: must be JSON/),
    ]);
  });
});
