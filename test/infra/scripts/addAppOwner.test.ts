import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithFakeAz, type FakeTenant } from './fakeAz.js';

const script = path.resolve(import.meta.dirname, '../../../infra/scripts/add-app-owner.sh');
const principalId = '11111111-2222-4333-8444-555555555555';
const appId = '99999999-8888-4777-8666-555555555555';
const tenant = (owners: string[] = []): FakeTenant => ({ graphSpId: 'graph-sp', appRoles: {}, assignments: [], owners });
const env = { VIGIL_IDENTITY_PRINCIPAL_ID: principalId };
const writes = (calls: string[][]) => calls.filter((c) => c[0] === 'rest' && !c.includes('GET'));

describe('add-app-owner.sh', () => {
  it('makes the identity an owner of the app, by the app id', () => {
    const run = runWithFakeAz(script, ['--app-id', appId], tenant(), env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Vigil is now an owner of ${appId}\n`);
    const [post] = writes(run.calls);
    expect(post?.[post.indexOf('--url') + 1]).toBe(`https://graph.microsoft.com/v1.0/applications(appId='${appId}')/owners/$ref`);
    expect(post).toContain(JSON.stringify({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${principalId}` }));
  });

  it('changes nothing when the identity already owns the app', () => {
    const run = runWithFakeAz(script, ['--app-id', appId], tenant([principalId]), env);
    expect(run.stdout).toBe(`Vigil is already an owner of ${appId}\n`);
    expect(writes(run.calls)).toEqual([]);
  });

  it('removes the ownership with --remove', () => {
    const run = runWithFakeAz(script, ['--app-id', appId, '--remove'], tenant([principalId]), env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.tenant.owners).toEqual([]);
    const [del] = writes(run.calls);
    expect(del?.[del.indexOf('--url') + 1]).toBe(
      `https://graph.microsoft.com/v1.0/applications(appId='${appId}')/owners/${principalId}/$ref`,
    );
  });

  it('refuses an app id that is not a GUID', () => {
    const run = runWithFakeAz(script, ['--app-id', 'Contoso Creatio'], tenant(), env);
    expect(run.status).toBe(1);
    expect(run.calls).toEqual([]);
  });
});
