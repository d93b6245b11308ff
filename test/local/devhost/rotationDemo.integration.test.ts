import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runVigil } from '../../../cli/runVigil.js';
import { rotationQueue } from '../../../functions/rotationQueue.js';
import { startAzurite, type Azurite } from '../../../local/azurite/startAzurite.js';
import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/startLocalCloud.js';
import { withLocalEndpoints } from '../../../local/devhost/localSettings.js';
import { startDevHost, type DevHost } from '../../../local/devhost/startDevHost.js';
import { certificatesDir, projectRoot } from '../../../local/paths.js';
import { drainQueues } from '../../support/drainQueues.js';

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** The README's "Rotate a secret on demand" commands, taken apart: the test runs what a person would paste. */
function documentedCommands() {
  const readme = read('README.md');
  const start = readme.indexOf('### Rotate a secret on demand');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const tokenLine = section.split('\n').find((l) => l.includes('/oauth2/v2.0/token'))!;
  const postLine = section.split('\n').find((l) => l.startsWith('curl -si -X POST'))!;
  return {
    tokenPath: new URL(/https:\/\/\S+\/oauth2\/v2\.0\/token/.exec(tokenLine)![0]).pathname,
    form: new URLSearchParams([...tokenLine.matchAll(/-d (\w+)=(\S+)/g)].map(([, k, v]): [string, string] => [k!, v!])),
    rotation: JSON.parse(/-d '(\{.*\})'/.exec(postLine)![1]!) as Record<string, unknown>,
  };
}

/** The README's CLI demo: the variables it exports for the demo's Ops CLI app. */
function documentedCliEnvironment(): Record<string, string> {
  const readme = read('README.md');
  const start = readme.indexOf('## The CLI for on-call staff');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const demo = section.slice(section.indexOf('Against `npm start`'));
  return Object.fromEntries([...demo.matchAll(/\b([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [name!, value!]));
}

let cloud: LocalCloud;
let azurite: Azurite;
let host: DevHost;
beforeAll(async () => {
  const scenario = JSON.parse(read('local/scenarios/demo.json')) as Scenario;
  [cloud, azurite] = await Promise.all([startLocalCloud({ certificatesDir, scenario }), startAzurite()]);
  const sample = (JSON.parse(read('local.settings.sample.json')) as { Values: Record<string, string> }).Values;
  host = await startDevHost({
    settings: withLocalEndpoints(sample, cloud.endpoints, azurite),
    httpPort: 0,
    sink: () => undefined,
    clock: cloud.clock,
  });
});
afterAll(async () => {
  await host?.stop();
  await Promise.all([cloud?.stop(), azurite?.stop()]);
});

describe('the README demo: rotate the Creatio secret with curl', () => {
  it('gets an Ops CLI token from the local Entra and rotates Creatio over HTTP', async () => {
    const { tokenPath, form, rotation } = documentedCommands();
    const tokenResponse = await fetch(`${cloud.endpoints.clouds.global!.login}${tokenPath}`, { method: 'POST', body: form });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    expect(tokenResponse.status).toBe(200);

    const creatio = () => cloud.context.store.application(rotation['appId'] as string)!.app.passwordCredentials;
    const before = creatio().map((c) => c.keyId);
    const posted = await fetch(`${host.apiUrl}/rotations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(rotation),
    });
    expect(posted.status).toBe(202);
    const location = posted.headers.get('location')!;
    await drainQueues([rotationQueue], host.runtime);

    const progress = await fetch(new URL(location, host.apiUrl), { headers: { authorization: `Bearer ${token}` } });
    const view = (await progress.json()) as { status: string; oldCredential: { displayName: string }; newCredential: { keyId: string } };
    expect(view).toMatchObject({ status: 'completed', oldCredential: { displayName: 'creatio-prod' } });
    expect(creatio().map((c) => c.keyId)).toEqual([
      ...before.filter((k) => k !== '60f098a5-aa19-4c10-a1b0-93403bbbeb5a'),
      view.newCredential.keyId,
    ]);
  });
});

describe('the dev host on the local cloud’s clock', () => {
  it('still refreshes the certificate connection after the clock is moved, its assertion dated by the cloud', async () => {
    const { tokenPath, form } = documentedCommands();
    const tokenResponse = await fetch(`${cloud.endpoints.clouds.global!.login}${tokenPath}`, { method: 'POST', body: form });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const moveClock = (body: object) =>
      fetch(`${cloud.endpoints.admin}/admin/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await moveClock({ advanceDays: 3 })).status).toBe(200);
    try {
      const refreshed = await fetch(`${host.apiUrl}/connections/cerb-archive-mailbox/refresh`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await refreshed.json()).toMatchObject({ outcome: 'refreshed', connection: { status: 'healthy' } });
    } finally {
      await moveClock({ reset: true });
    }
  });
});

describe('the README demo: the CLI as the Ops CLI app', () => {
  it('signs in with the documented tenant, client id and secret, and may read the findings', async () => {
    const documented = documentedCliEnvironment();
    expect(documented).toMatchObject({ VIGIL_URL: 'http://localhost:7071/api', AZURE_AUTHORITY_HOST: 'https://localhost:47410' });
    // This stack runs on free ports; the identity is the README's.
    for (const name of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) vi.stubEnv(name, documented[name]);
    vi.stubEnv('AZURE_AUTHORITY_HOST', cloud.endpoints.clouds.global!.login);
    vi.stubEnv('VIGIL_URL', host.apiUrl);
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await runVigil(['findings'], { env: process.env, out: (l) => out.push(l), err: (l) => err.push(l) });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(out[0]).toMatch(/^DAYS LEFT\s+SEVERITY|^No findings match\.$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
