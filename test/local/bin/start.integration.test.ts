import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../local/paths.js';

// Runs the compiled entry point exactly as `npm start` does (npm test builds first).
const startScript = path.join(projectRoot, 'dist', 'local', 'bin', 'start.js');
const stateDir = mkdtempSync(path.join(tmpdir(), 'vigil-start-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const runOnce = (...args: string[]) =>
  spawnSync(process.execPath, [startScript, '--once', ...args], { encoding: 'utf8', timeout: 240_000 });

describe('npm start', () => {
  it('runs one cycle against the demo tenant, prints the summary and exits 0', () => {
    const result = runOnce('--free-ports', '--state-dir', stateDir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Seeded the demo tenant into a new local cloud.');
    expect(result.stdout).toContain('Vigil — local run summary');
    expect(result.stdout).toMatch(/✓ vault https:\/\/localhost:\d+: \d+ secrets, \d+ token connections/);
    expect(result.stdout).toMatch(/✓ tenant Contoso Logistics/);
    // The demo vault holds three token connections (one signing in with a certificate) beside its notification
    // secrets and the certificate's PEM: only tokens count as connections.
    expect(result.stdout).toMatch(/✓ vault https:\/\/localhost:\d+: \d+ secrets, 3 token connections/);
    expect(result.stdout).toMatch(/✓ cerb-archive-mailbox \[Cerb archive\]: healthy/);
    // --once stops every server, so it offers no addresses to open.
    expect(result.stdout).not.toContain('Where to look');
    expect(result.stdout).toMatch(/\d+ Teams card\(s\), [1-9]\d* Slack message\(s\), \d+ PagerDuty event\(s\)/);
    expect(result.stdout).toContain('without --once');
    expect(result.stdout).not.toContain('/api/sign-in/');
    expect(result.stdout).toMatch(/uipath-shipping-mailbox: needs a new sign-in/);
    // The demo's secrets stay in the local cloud: never on the console.
    expect(result.stdout + result.stderr).not.toContain('local-demo-vigil-secret-not-for-production');
  }, 240_000);

  it('reuses the CA and the state on a second start', () => {
    const result = runOnce('--free-ports', '--state-dir', stateDir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Reusing the local cloud state in ${stateDir}.`);
  }, 240_000);

  it('stops everything it started when interrupted', async () => {
    const child = spawn(process.execPath, [startScript, '--ephemeral'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "running" line:\n${output}`)), 200_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Vigil is running.')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Everything it started (Azurite runs as a child process) must be gone after Ctrl+C.
    const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    expect(children.length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const alive = children.filter((pid) => spawnSync('kill', ['-0', pid]).status === 0);
    expect(alive).toEqual([]);
  }, 240_000);
});
