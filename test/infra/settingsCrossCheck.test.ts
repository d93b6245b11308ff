import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingNames, settingsSchema } from '../../shared/settings/settingsSchema.js';
import { loadBicepParser } from './readBicep.js';
import { bicepParamDefaults, mainParameters, passedParam, projectRoot, readSettingLists, type SettingList } from './readSettingLists.js';
import { hostOnly, leftOut, places, type Place } from './settingPlaces.js';

// The settings the code reads (settingsSchema.ts) must appear in the sample local settings, the Bicep app
// settings and the README table; no place may list a setting the code does not read. The exceptions, each
// with its reason, are in settingPlaces.ts. When this fails after you added a setting, the message names
// the place to add it to (docs/deploy.md, "Adding a setting").

const schemaOf = (name: string) => settingsSchema.shape[name as keyof typeof settingsSchema.shape];
const probeReference = '@Microsoft.KeyVault(SecretUri=https://vigil.vault.azure.net/secrets/probe)';
/** A secret setting is one the code refuses to read as an unresolved Key Vault reference (`secretText`). */
const isSecret = (name: string) => {
  const result = schemaOf(name).safeParse(probeReference);
  return !result.success && result.error.issues.some((i) => i.message.includes('unresolved Key Vault reference'));
};
const defaultOf = (name: string): string | undefined => {
  const result = schemaOf(name).safeParse(undefined);
  return result.success && result.data !== undefined ? String(result.data) : undefined;
};
const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(projectRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.ts'))
    .map((p) => path.join(dir, p));

let lists: Record<Place, SettingList>;
beforeAll(async () => {
  await loadBicepParser();
  lists = readSettingLists();
});

describe('settings cross-check', () => {
  it('lists every setting the code reads in every place, save the reasoned exceptions', () => {
    const missing = settingNames.flatMap((name) =>
      places
        .filter((place) => !lists[place].has(name) && !leftOut[name]?.places.includes(place))
        .map((place) => `${name} is read by the code but missing from ${place}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists nothing the code does not read, save host settings', () => {
    const extra = places.flatMap((place) =>
      [...lists[place].keys()]
        .filter((name) => !settingNames.includes(name as never) && !hostOnly[name]?.places.includes(place))
        .map((name) => `${place} lists ${name}, which no code reads`),
    );
    expect(extra).toEqual([]);
  });

  it('lists each setting once in the sample and the README', () => {
    const sample = [...readFileSync(path.join(projectRoot, 'local.settings.sample.json'), 'utf8').matchAll(/^\s*"(\w+)":/gm)].map(
      ([, n]) => n,
    );
    const readme = [...readFileSync(path.join(projectRoot, 'README.md'), 'utf8').matchAll(/^\| `(\w+)` \|/gm)].map(([, n]) => n);
    const twice = (names: Array<string | undefined>) => names.filter((n, i) => names.indexOf(n) !== i);
    expect(twice(sample), 'local.settings.sample.json').toEqual([]);
    expect(twice(readme), 'README.md').toEqual([]);
  });

  it('keeps every exception true and current', () => {
    for (const [name, { places: leftOutOf, reason }] of Object.entries(leftOut)) {
      expect(settingNames, `${name} is no longer a setting: drop its exception`).toContain(name);
      expect(reason.length).toBeGreaterThan(20);
      for (const place of leftOutOf)
        expect(lists[place].has(name), `${place} lists ${name}, but the exception says it must not`).toBe(false);
    }
    for (const [name, { reason }] of Object.entries(hostOnly)) {
      expect(settingNames, `${name} is read by the code now: drop it from hostOnly`).not.toContain(name);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it('sets secret settings in Azure only as Key Vault references, and nothing else as one', () => {
    const bicep = lists['infra/app/appSettings.bicep'];
    for (const [name, value] of bicep) {
      const reference = value.includes('@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/');
      if (settingNames.includes(name as never) && isSecret(name))
        expect(reference, `${name} is a secret: make it a Key Vault reference`).toBe(true);
      else expect(value, `${name} is not a secret setting`).not.toContain('@Microsoft.KeyVault(');
    }
    expect(isSecret('VIGIL_CLIENT_SECRET')).toBe(true);
  });

  it('agrees with the schema on defaults: README, Bicep parameters and azd variables', () => {
    const appDefaults = bicepParamDefaults('infra/app/appSettings.bicep');
    const mainDefaults = bicepParamDefaults('infra/main.bicep');
    const azd = mainParameters();
    const problems: string[] = [];
    for (const name of settingNames) {
      const expected = defaultOf(name);
      if (expected !== undefined && lists['README.md'].get(name) !== expected)
        problems.push(`README.md: default of ${name} should be ${expected}`);
      const param = passedParam(lists['infra/app/appSettings.bicep'].get(name) ?? '');
      if (!param || !appDefaults.has(param)) continue; // derived by the deployment, not a parameter
      const check = (where: string, value: string | undefined) => {
        if (expected !== undefined && value !== undefined && value !== '' && value !== expected)
          problems.push(`${where}: default of ${param} (${name}) is ${value}, the schema says ${expected}`);
      };
      check('infra/app/appSettings.bicep', appDefaults.get(param));
      check('infra/main.bicep', mainDefaults.get(param));
      const variable = /^\$\{(\w+)(?:=(.*))?\}$/.exec(azd.get(param) ?? '');
      if (variable?.[1] !== name)
        problems.push(`infra/main.parameters.json: set ${param} from the azd variable of the same name, "\${${name}=<default>}"`);
      check('infra/main.parameters.json', variable?.[2]);
    }
    expect(problems).toEqual([]);
  });

  it('binds triggers only to settings the schema defines', () => {
    const bound = sourceFiles('functions').flatMap((f) =>
      [...readFileSync(path.join(projectRoot, f), 'utf8').matchAll(/'%(\w+)%'/g)].map(([, name]) => `${f}: ${name}`),
    );
    expect(bound.length).toBeGreaterThan(0);
    for (const use of bound) expect(settingNames, use).toContain(use.split(': ')[1]);
  });

  it('reads the environment only in loadSettings', () => {
    const readers = [...sourceFiles('shared'), ...sourceFiles('functions')].filter((f) =>
      readFileSync(path.join(projectRoot, f), 'utf8').includes('process.env'),
    );
    expect(readers).toEqual([path.join('shared', 'settings', 'loadSettings.ts')]);
  });
});
