import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/paths.js';
import { functionDefinitions } from '../../functions/functionDefinitions.js';

// The entry point Azure loads (package.json `main`), compiled by `npm test`'s build step.
const main = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { main: string }).main;
const sample = (
  JSON.parse(readFileSync(path.join(projectRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }
).Values;

const load = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(path.join(projectRoot, main))})`], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });

describe('the Functions entry point', () => {
  it('loads with the sample settings and registers every function', () => {
    const result = load(sample);
    expect(result.status, result.stderr).toBe(0);
    // Outside the Functions host @azure/functions runs in test mode and names each function it would register.
    for (const definition of functionDefinitions) expect(result.stderr).toContain(`register function "${definition.name}"`);
  });

  it('stops start-up with a message naming each bad setting, without echoing secrets', () => {
    const { VIGIL_TENANT_ID: _, ...missingTenant } = sample;
    const result = load({ ...missingTenant, VIGIL_KEY_VAULT_URLS: 'not a url' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/VIGIL_TENANT_ID: is required but not set/);
    expect(result.stderr).toMatch(/VIGIL_KEY_VAULT_URLS:/);
    expect(result.stderr).not.toContain(sample['VIGIL_CLIENT_SECRET']);
  });
});
