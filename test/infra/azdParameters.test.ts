import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { mainParameters, projectRoot } from './readSettingLists.js';
import { leftOut } from './settingPlaces.js';

// The round trip of every JSON setting: `azd env set NAME '<json>'` → infra/main.parameters.json →
// a Bicep parameter → infra/app/appSettings.bicep → the app setting Vigil parses at start-up.
//
// What is simulated is azd's documented behaviour (Azure/azure-dev pull request 6694, merged 2026-02):
// for a parameter whose Bicep type is array or object and whose value in main.parameters.json is a
// string, azd substitutes `${NAME}` / `${NAME=default}` in that string alone and parses the result as
// JSON; for every other parameter it substitutes into the marshalled parameter file's text, unescaped,
// so a JSON value in a string parameter breaks the file (the defect this replaced).

const main = readFileSync(path.join(projectRoot, 'infra/main.bicep'), 'utf8');
const appSettings = readFileSync(path.join(projectRoot, 'infra/app/appSettings.bicep'), 'utf8');
const sample = (
  JSON.parse(readFileSync(path.join(projectRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }
).Values;
const paramType = (name: string) => new RegExp(`^param ${name} (\\w+)\\??`, 'm').exec(main)?.[1];

/** drone/envsubst as azd uses it: `${NAME}` and `${NAME=default}` (the default when NAME is unset). */
function envsubst(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?:=([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] ?? fallback ?? '');
}

/** The value azd hands Bicep for one parameter of main.parameters.json. */
function azdParameter(param: string, env: Record<string, string>): unknown {
  const raw = mainParameters().get(param)!;
  const type = paramType(param);
  if (type === 'array' || type === 'object') return JSON.parse(envsubst(raw, env)) as unknown;
  const file = JSON.stringify({ [param]: { value: raw } });
  return (JSON.parse(envsubst(file, env)) as Record<string, { value: unknown }>)[param]!.value;
}

/** appSettings.bicep's `p == null ? '' : string(p)`: ARM's string() writes an array or object as JSON. */
function appSetting(name: string, value: unknown): string {
  const expression = new RegExp(`^  ${name}: (.+)$`, 'm').exec(appSettings)?.[1];
  expect(expression, `${name} in appSettings.bicep`).toMatch(/^(\w+) == null \? '' : string\(\1\)$/);
  return value === null ? '' : JSON.stringify(value);
}

const base = {
  AzureWebJobsStorage__accountName: 'stvigil',
  VIGIL_TENANT_ID: '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f',
  VIGIL_KEY_VAULT_URLS: 'https://kv-vigil.vault.azure.net/',
};
const rotationRules = '[{"appId":"8146e067-48d5-4d79-a389-7a4c4fe36eff","vaultSecretName":"creatio-client-secret","withinDays":14}]';
const jsonSettings = [
  { setting: 'VIGIL_TENANTS', param: 'tenants', value: sample.VIGIL_TENANTS! },
  { setting: 'VIGIL_ROUTES', param: 'routes', value: sample.VIGIL_ROUTES! },
  { setting: 'VIGIL_ROTATION_RULES', param: 'rotationRules', value: rotationRules },
];

describe('JSON settings through azd', () => {
  it.each(jsonSettings)('$setting arrives as Vigil parses it, quotes and all', ({ setting, param, value }) => {
    expect(paramType(param), `${param} must be a typed Bicep parameter`).toMatch(/^(array|object)$/);
    const deployed = appSetting(setting, azdParameter(param, { [setting]: value }));
    const read = (text: string) => {
      const settings = loadSettings({ ...base, [setting]: text });
      return settings[setting as keyof typeof settings];
    };
    expect(read(deployed)).toEqual(read(value));
  });

  it.each(jsonSettings)('$setting unset leaves the app setting empty, so Vigil applies its default', ({ setting, param }) => {
    expect(appSetting(setting, azdParameter(param, {}))).toBe('');
  });

  it('would break as a string parameter: the reason these are typed', () => {
    const file = JSON.stringify({ tenants: { value: '${VIGIL_TENANTS=}' } });
    expect(() => JSON.parse(envsubst(file, { VIGIL_TENANTS: sample.VIGIL_TENANTS! })) as unknown).toThrow(SyntaxError);
  });

  it('carries every JSON setting Bicep sets; VIGIL_CLOUD_ENDPOINTS is local only', () => {
    const typed = [...appSettings.matchAll(/^ {2}(\w+): \w+ == null \? '' : string\(\w+\)$/gm)].map(([, n]) => n);
    expect(typed.sort()).toEqual(jsonSettings.map((s) => s.setting).sort());
    expect(leftOut.VIGIL_CLOUD_ENDPOINTS?.places).toContain('infra/app/appSettings.bicep');
  });
});
