import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import { serveHttpFunctions } from '../../local/devhost/serveHttpFunctions.js';
import { runVigil } from '../../cli/runVigil.js';
import { OTHER_TENANT, TENANT } from '../support/testScenario.js';
import { OPS_CLI_SECRET, VIEWER_SECRET, startRotationStack, type RotationStack } from '../functions/rotationStack.js';
import { closedPort } from '../shared/adapters/http/closedPort.js';

// The CLI as on-call staff run it: Vigil's HTTP functions served over HTTP as the dev host does, the
// CLI signing in at the local Entra with an app's client secret from the environment (EnvironmentCredential),
// and once through a stand-in `az` on PATH (AzureCliCredential).

let r: RotationStack;
let apiUrl = '';
let closeApi: () => Promise<void>;

/** Signs in as `app` through the environment, as automation would. */
const signInAs = (app: 'Ops CLI' | 'Ops viewer', secret: string) => {
  vi.stubEnv('AZURE_TENANT_ID', TENANT);
  vi.stubEnv('AZURE_CLIENT_ID', r.appId(app));
  vi.stubEnv('AZURE_CLIENT_SECRET', secret);
};

beforeAll(async () => {
  r = await startRotationStack();
  const server = await serveHttpFunctions(functionDefinitions, r.runtime, () => undefined, 0);
  apiUrl = server.url;
  closeApi = server.close;
  vi.stubEnv('AZURE_AUTHORITY_HOST', r.stack.cloud.endpoints.clouds.global!.login);
  vi.stubEnv('VIGIL_URL', apiUrl);
  signInAs('Ops CLI', OPS_CLI_SECRET);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await closeApi?.();
  await r?.stack.stop();
});

const vigil = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVigil(argv, { env: process.env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const creatio = () => r.appId('Creatio CRM');

describe('npx vigil against the local cloud', () => {
  it('scan queues a scan; findings then lists it as a table and as JSON', async () => {
    const scan = await vigil('scan', '--tenant', TENANT);
    expect(scan).toMatchObject({ code: 0, err: '' });
    expect(scan.out).toContain(`Queued a scan of Home tenant (${TENANT}).`);
    expect(await r.runScans()).toBe(1);

    const table = await vigil('findings');
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^DAYS LEFT\s+SEVERITY\s+STATUS\s+TENANT\s+FINDING\s+NAME$/);
    expect(table.out).toMatch(/Home tenant\s+f-[0-9a-f]{20}\s+Creatio CRM — client secret "current"/);

    const json = await vigil('findings', '--json');
    const listed = JSON.parse(json.out) as { value: Array<{ appId: string; id: string; severity: string }>; unscanned: unknown[] };
    expect(listed.unscanned).toEqual([]);
    expect(listed.value.some((f) => f.appId === creatio())).toBe(true);
    const severities = new Set(listed.value.map((f) => f.severity));
    const one = [...severities][0]!;
    const filtered = JSON.parse((await vigil('findings', '--json', '--severity', one)).out) as typeof listed;
    expect(filtered.value.length).toBeGreaterThan(0);
    expect(filtered.value.every((f) => f.severity === one)).toBe(true);
  });

  it('snooze and unsnooze a finding by its id', async () => {
    const { value } = JSON.parse((await vigil('findings', '--json')).out) as { value: Array<{ id: string; appId: string }> };
    const id = value.find((f) => f.appId === creatio())!.id;
    const snoozed = await vigil('snooze', id, '--for', '3d', '--reason', 'replacing Creatio next week');
    expect(snoozed).toMatchObject({ code: 0, err: '' });
    expect(snoozed.out).toMatch(
      new RegExp(`^Snoozed ${id} \\(Creatio CRM\\) until \\S+ by ${r.appId('Ops CLI')}: replacing Creatio next week`),
    );
    expect((await r.runtime.notifications.state.getFinding(id))?.snooze?.reason).toBe('replacing Creatio next week');

    expect(await vigil('unsnooze', id)).toMatchObject({ code: 0, out: `${id} is no longer snoozed; Vigil announces it again now.` });
    expect((await r.runtime.notifications.state.getFinding(id))?.snooze).toBeUndefined();
  });

  it('rotate --dry-run shows the plan and changes nothing', async () => {
    const before = r.stack.cloud.context.store.application(creatio())!.app.passwordCredentials.length;
    const current = r.stack.cloud.context.store.application(creatio())!.app.passwordCredentials.find((c) => c.displayName === 'current')!;
    const plan = await vigil(
      'rotate',
      `${creatio()}/${current.keyId}`,
      '--tenant',
      TENANT,
      '--secret',
      'creatio-client-secret',
      '--dry-run',
    );
    expect(plan).toMatchObject({ code: 0, err: '' });
    expect(plan.out).toContain(`Dry run: nothing changed. Vigil would rotate Creatio CRM (${creatio()}):`);
    expect(plan.out).toMatch(
      new RegExp(`replaces\\s+"current" \\(key ${current.keyId}, ends \\d{4}-\\d\\d-\\d\\d\\), removed 168 h after`),
    );
    expect(r.stack.cloud.context.store.application(creatio())!.app.passwordCredentials).toHaveLength(before);

    // By the finding's id: its app, secret and tenant; the vault secret here carries no tags naming it, so --secret.
    const { value } = JSON.parse((await vigil('findings', '--json')).out) as { value: Array<{ id: string; keyId: string }> };
    const id = value.find((f) => f.keyId === current.keyId)!.id;
    expect(await vigil('rotate', id, '--dry-run')).toMatchObject({
      code: 1,
      err: expect.stringContaining(`Vigil knows no Key Vault copy of ${id}`),
    });
    const byFinding = await vigil('rotate', id, '--secret', 'creatio-client-secret', '--dry-run');
    expect(byFinding).toMatchObject({ code: 0, err: '' });
    expect(byFinding.out).toContain(`replaces   "current" (key ${current.keyId}`);
    expect(r.stack.cloud.context.store.application(creatio())!.app.passwordCredentials).toHaveLength(before);
  });

  it('refresh refreshes a connection now; connections and status then list and count it', async () => {
    expect(await vigil('connections')).toMatchObject({ code: 0, out: 'No token connections.' });
    const refreshed = await vigil('refresh', 'cerb-mailbox');
    expect(refreshed).toMatchObject({ code: 0, err: '' });
    expect(refreshed.out).toMatch(/^cerb-mailbox: refreshed \(healthy\); stops \d{4}-\d\d-\d\d \(\d+ days\)\n {2}next: /);

    const connections = await vigil('connections');
    expect(connections.code).toBe(0);
    expect(connections.out.split('\n')).toEqual([
      expect.stringMatching(/^STATUS\s+NAME\s+STOPS\s+VAULT\s+NEXT$/),
      expect.stringMatching(/^healthy\s+cerb-mailbox\s+\d{4}-\d\d-\d\d \(\d+ days\)\s+localhost:\d+\s+\S/),
    ]);
    const listed = JSON.parse((await vigil('connections', '--json')).out) as Array<{ name: string; status: string }>;
    expect(listed).toMatchObject([{ name: 'cerb-mailbox', status: 'healthy' }]);

    const status = await vigil('status');
    // No refresh planner has run in this stack: Vigil says it is degraded, and the CLI exits 1.
    expect(status.code).toBe(1);
    expect(status.out).toMatch(/^Vigil is DEGRADED \(storage reachable/);
    expect(status.out).toContain('! no refreshPlanner run has completed yet');
    expect(status.out).toMatch(/\nFindings: 1 high, 1 medium, 2 low\n/);
    expect(status.out).toContain('Token connections: 1 healthy');
    const json = await vigil('status', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      health: { status: 'degraded', storage: 'reachable' },
      findings: { bySeverity: { high: 1, medium: 1, low: 2 }, toTidyUp: 0, unscannedTenants: [] },
      connections: { byStatus: { healthy: 1 } },
    });
  });

  it('prints the problem’s detail and each error for a 422, the missing role for a 403', async () => {
    const unknown = await vigil('scan', '--tenant', OTHER_TENANT);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(new RegExp(`^Vigil answered 422 to POST ${apiUrl}/scans — Unknown tenant: .+\\n  tenantId: `));

    signInAs('Ops viewer', VIEWER_SECRET);
    try {
      const refused = await vigil('scan');
      expect(refused).toMatchObject({ code: 1, out: '' });
      expect(refused.err).toContain(`app ${r.appId('Ops viewer')} from the environment`);
      expect(refused.err).toContain("lacks the app role Vigil.Rotate on Vigil's API");
    } finally {
      signInAs('Ops CLI', OPS_CLI_SECRET);
    }
  });

  it('a 409 names the rotation in the way', async () => {
    const args = ['rotate', creatio(), '--tenant', TENANT, '--secret', 'creatio-client-secret', '--retire-after', '0'];
    const started = await vigil(...args);
    expect(started.code).toBe(0);
    const id = /Rotation (rot-[0-9a-f-]{36})/.exec(started.out)![1]!;
    const second = await vigil(...args);
    expect(second.code).toBe(1);
    expect(second.err).toContain(`Vigil answered 409 to POST ${apiUrl}/rotations — Rotation in flight`);
    expect(second.err).toContain(`rotation: ${id} (vigil rotation ${id})`);
  });

  it('a 401 says which identity was refused and how to sign in; a failed sign-in and an unreachable Vigil say so', async () => {
    // A token for another API: Vigil refuses it (wrongAudience).
    const refused = await vigil('findings', '--scope', 'https://graph.microsoft.com/.default');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`Vigil refused the token of app ${r.appId('Ops CLI')} from the environment`);
    expect(refused.err).toContain('(wrongAudience)');
    expect(refused.err).toContain('check --scope');
    expect(refused.err).toContain('az login, then --auth cli');

    signInAs('Ops CLI', 'not-the-secret');
    try {
      const failed = await vigil('findings');
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(/^Could not sign in with app \S+ from the environment .* for api:\/\/vigil\/\.default: /);
      expect(failed.err).not.toContain('not-the-secret');
    } finally {
      signInAs('Ops CLI', OPS_CLI_SECRET);
    }

    const port = await closedPort();
    const gone = await vigil('findings', '--url', `http://localhost:${port}/api`);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain(`Could not reach Vigil at http://localhost:${port}/api/findings: the connection failed (ECONNREFUSED)`);
  });

  it('refuses a --url carrying the function key without printing it, and names its own input for a request fetch will not make', async () => {
    const CANARY = 'canary-function-key-3f9a';
    const pasted = await vigil('findings', '--url', `${process.env['VIGIL_URL']}?code=${CANARY}`);
    expect(pasted.code).toBe(2);
    expect(pasted.err).toContain('--url: the URL carries a query or fragment');
    expect(pasted.err).toContain('give the key with --function-key');
    expect(pasted.err + pasted.out).not.toContain(CANARY);

    // A key pasted with its line break: fetch will not send the header, which is the CLI's input, not Vigil's fault.
    const broken = await vigil('findings', '--function-key', `${CANARY}\nrest`);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^The CLI could not make its request to \S+\/api\/findings \(TypeError\): check --function-key/);
    expect(broken.err).not.toContain('Vigil could not make');
    expect(broken.err).not.toContain(CANARY);
  });

  it("--auth cli signs in with the Azure CLI's token: the SDK runs `az account get-access-token` for Vigil's API", async () => {
    // A stand-in for `az` on PATH, which AzureCliCredential runs through the shell: it records its arguments and
    // prints what the real one prints (`az account get-access-token --output json`), or, signed out, its error.
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-cli-az-'));
    writeFileSync(
      path.join(dir, 'az'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${dir}/args'\n` +
        `if [ -f '${dir}/answer.json' ]; then cat '${dir}/answer.json'; else echo "ERROR: Please run 'az login' to setup account." >&2; exit 1; fi\n`,
      { mode: 0o755 },
    );
    const expires = DateTime.utc().plus({ hours: 1 });
    const answer = {
      accessToken: await r.stack.apiToken('Ops CLI', OPS_CLI_SECRET),
      expiresOn: expires.toLocal().toFormat('yyyy-MM-dd HH:mm:ss.SSSSSS'),
      expires_on: Math.floor(expires.toSeconds()),
      subscription: '00000000-0000-4000-8000-000000000001',
      tenant: TENANT,
      tokenType: 'Bearer',
    };
    writeFileSync(path.join(dir, 'answer.json'), JSON.stringify(answer, null, 2));
    const pathBefore = process.env['PATH'] ?? '';
    vi.stubEnv('PATH', `${dir}${path.delimiter}${pathBefore}`);
    try {
      const listed = await vigil('findings', '--auth', 'cli', '--json');
      expect(listed).toMatchObject({ code: 0, err: '' });
      expect((JSON.parse(listed.out) as { value: Array<{ appId: string }> }).value.some((f) => f.appId === creatio())).toBe(true);
      // The scope's resource, and the tenant from AZURE_TENANT_ID.
      expect(readFileSync(path.join(dir, 'args'), 'utf8').trimEnd().split('\n')).toEqual([
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'api://vigil',
        '--tenant',
        TENANT,
      ]);

      rmSync(path.join(dir, 'answer.json'));
      const signedOut = await vigil('findings', '--auth', 'cli');
      expect(signedOut.code).toBe(1);
      expect(signedOut.err).toMatch(/^Could not sign in with the Azure CLI \(`az login`\) for api:\/\/vigil\/\.default: .*az login/);
    } finally {
      vi.stubEnv('PATH', pathBefore);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the package bin in its own process, signed in from its environment', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['dist/cli/vigil.js', 'findings', '--json', '--severity', 'critical,high,medium,low,info'],
      {
        env: { ...process.env },
      },
    );
    const listed = JSON.parse(stdout) as { value: Array<{ appId: string }> };
    expect(listed.value.some((f) => f.appId === creatio())).toBe(true);
  });

  it('a usage error exits 2 and names what is wrong', async () => {
    expect(await vigil('rotate', creatio())).toMatchObject({ code: 2, err: expect.stringContaining('rotate needs --tenant') });
    expect(await vigil('findings', '--dry-run')).toMatchObject({ code: 2, err: expect.stringContaining('findings takes no --dry-run') });
  });
});
