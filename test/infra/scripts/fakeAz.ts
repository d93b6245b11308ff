import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** What the fake `az` answers from: a tenant with Microsoft Graph's service principal and some grants. */
export interface FakeTenant {
  graphSpId: string;
  /** App role ids on Graph by permission name, as `az ad sp show` would list them. */
  appRoles: Record<string, string>;
  assignments: Array<{ id: string; appRoleId: string; resourceId: string }>;
  owners: string[];
}

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The argv of every `az` call, in order. */
  calls: string[][];
  tenant: FakeTenant;
}

// A stand-in for the Azure CLI: answers the few commands the scripts use from a JSON file, and logs each call.
const fakeAzSource = String.raw`#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_AZ_LOG, JSON.stringify(args) + '\n');
const tenant = JSON.parse(fs.readFileSync(process.env.FAKE_AZ_TENANT, 'utf8'));
const opt = (name) => args[args.indexOf(name) + 1] ?? '';
const query = opt('--query');
const quoted = (key) => (new RegExp(key + "=='([^']*)'").exec(query) ?? [])[1];
const print = (v) => process.stdout.write((v ?? '') + '\n');
if (args[0] === 'cloud') print('https://graph.microsoft.com/');
else if (args[0] === 'ad' && query === 'id') print(tenant.graphSpId);
else if (args[0] === 'ad') print(tenant.appRoles[quoted('value')]);
else if (args[0] === 'rest') {
  const method = opt('--method'), url = opt('--url');
  if (method === 'GET' && url.endsWith('/appRoleAssignments')) print(tenant.assignments.find((a) => a.appRoleId === quoted('appRoleId') && a.resourceId === quoted('resourceId'))?.id);
  else if (method === 'GET') print(tenant.owners.find((o) => o === quoted('id')));
  else if (method === 'POST' && url.endsWith('/appRoleAssignments')) tenant.assignments.push({ id: 'new-' + tenant.assignments.length, ...JSON.parse(opt('--body')) });
  else if (method === 'POST') tenant.owners.push(JSON.parse(opt('--body'))['@odata.id'].split('/').pop());
  else if (method === 'DELETE') tenant.owners = tenant.owners.filter((o) => !url.includes('/' + o + '/'));
  fs.writeFileSync(process.env.FAKE_AZ_TENANT, JSON.stringify(tenant));
}
`;

export function runWithFakeAz(script: string, args: string[], tenant: FakeTenant, env: Record<string, string> = {}): ScriptRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-fake-az-'));
  writeFileSync(path.join(dir, 'az'), fakeAzSource);
  chmodSync(path.join(dir, 'az'), 0o755);
  const tenantFile = path.join(dir, 'tenant.json');
  const log = path.join(dir, 'calls.log');
  writeFileSync(tenantFile, JSON.stringify(tenant));
  writeFileSync(log, '');
  const result = spawnSync('bash', [script, ...args], {
    encoding: 'utf8',
    // Only the fake az and the system tools: no real az or azd can be reached.
    env: { PATH: `${dir}:${path.dirname(process.execPath)}:/usr/bin:/bin`, FAKE_AZ_TENANT: tenantFile, FAKE_AZ_LOG: log, ...env },
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    calls,
    tenant: JSON.parse(readFileSync(tenantFile, 'utf8')) as FakeTenant,
  };
}
