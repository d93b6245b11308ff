import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readBicep } from './readBicep.js';
import type { Place } from './settingPlaces.js';

/** A setting as one place lists it: its value (Bicep source text) or default (README column). */
export type SettingList = Map<string, string>;

export const projectRoot = path.resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(path.join(projectRoot, p), 'utf8');

/** The `Values` of the sample local settings. */
function readSample(): SettingList {
  const values = (JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> }).Values;
  return new Map(Object.entries(values));
}

/** The rows of the README's settings table, with the text of their Default column. */
function readReadme(): SettingList {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Settings');
  if (start < 0) throw new Error('README.md has no "## Settings" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const rows = [...section.matchAll(/^\| `([^`]+)` \|([^|]*)\|([^|]*)\|/gm)];
  return new Map(rows.map(([, name, , defaultColumn]) => [name!, defaultColumn!.trim().replace(/^`|`$/g, '')]));
}

/** The settings appSettings.bicep outputs: the object variables its `values` output unites. */
function readBicepAppSettings(): SettingList {
  const file = 'infra/app/appSettings.bicep';
  const united = /^output values object = union\(([^)]*)\)$/m.exec(read(file))?.[1];
  if (!united) throw new Error(`${file} must end with "output values object = union(<object variables>)"`);
  const bicep = readBicep(path.join(projectRoot, file));
  const settings: SettingList = new Map();
  for (const variable of united.split(',').map((v) => v.trim())) {
    const properties = bicep.objectVariable(variable);
    if (!properties) throw new Error(`${file}: ${variable} is not an object variable`);
    for (const [name, value] of properties) settings.set(name, value);
  }
  return settings;
}

/** Call after loadBicepParser(). */
export function readSettingLists(): Record<Place, SettingList> {
  return {
    'local.settings.sample.json': readSample(),
    'infra/app/appSettings.bicep': readBicepAppSettings(),
    'README.md': readReadme(),
  };
}

/** The `param name type = default` lines of a Bicep file: default source text, quotes removed. */
export function bicepParamDefaults(file: string): Map<string, string> {
  return new Map(
    [...read(file).matchAll(/^param (\w+) \w+ = (.+)$/gm)].map(([, name, value]) => [name!, value!.trim().replace(/^'(.*)'$/, '$1')]),
  );
}

/**
 * The param a setting's Bicep value passes on as is: `param`, `string(param)`, or for a JSON setting
 * `param == null ? '' : string(param)`; undefined for anything else.
 */
export function passedParam(value: string): string | undefined {
  return /^(?:string\()?(\w+)\)?$/.exec(value)?.[1] ?? /^(\w+) == null \? '' : string\(\1\)$/.exec(value)?.[1];
}

/** `main.parameters.json`: each parameter's value, such as `${VIGIL_SCAN_SCHEDULE=0 0 * * * *}`. */
export function mainParameters(): Map<string, string> {
  const json = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
  return new Map(Object.entries(json.parameters).map(([name, { value }]) => [name, String(value)]));
}
