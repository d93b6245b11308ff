import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithFakeAz, type FakeTenant } from './fakeAz.js';

const script = path.resolve(import.meta.dirname, '../../../infra/scripts/grant-graph-permissions.sh');
const principalId = '11111111-2222-4333-8444-555555555555';
const readAll = '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30';
const ownedBy = '18a4783c-866b-4cc7-a460-3d5e5662c884';
const mailSend = 'b633e1c5-b582-4048-a93e-9f11b44c7e96';
const auditLog = 'b0afded3-3588-46d8-8b3d-9842eff778da';
const policyRead = '246dd0d5-5bd0-4def-940b-0421030a5b68';
const tenant = (assignments: FakeTenant['assignments'] = []): FakeTenant => ({
  graphSpId: 'graph-sp',
  appRoles: {
    'Application.Read.All': readAll,
    'Application.ReadWrite.OwnedBy': ownedBy,
    'AuditLog.Read.All': auditLog,
    'Policy.Read.All': policyRead,
    'Mail.Send': mailSend,
  },
  assignments,
  owners: [],
});
const posts = (calls: string[][]) => calls.filter((c) => c[0] === 'rest' && c.includes('POST'));
const env = { VIGIL_IDENTITY_PRINCIPAL_ID: principalId };

describe('grant-graph-permissions.sh', () => {
  it('grants the directory, usage report and policy reads, and Application.ReadWrite.OwnedBy, to the identity', () => {
    const run = runWithFakeAz(script, [], tenant(), env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'Application.Read.All: granted\nAuditLog.Read.All: granted\nPolicy.Read.All: granted\nApplication.ReadWrite.OwnedBy: granted\n',
    );
    expect(posts(run.calls).map((c) => c[c.indexOf('--url') + 1])).toEqual(
      Array(4).fill(`https://graph.microsoft.com/v1.0/servicePrincipals/${principalId}/appRoleAssignments`),
    );
    expect(run.tenant.assignments.map((a) => a.appRoleId)).toEqual([readAll, auditLog, policyRead, ownedBy]);
    expect(posts(run.calls)[0]).toContain(JSON.stringify({ principalId, resourceId: 'graph-sp', appRoleId: readAll }));
  });

  it('changes nothing on a second run', () => {
    const run = runWithFakeAz(
      script,
      [],
      tenant([
        { id: 'a', appRoleId: readAll, resourceId: 'graph-sp' },
        { id: 'b', appRoleId: ownedBy, resourceId: 'graph-sp' },
        { id: 'c', appRoleId: auditLog, resourceId: 'graph-sp' },
        { id: 'd', appRoleId: policyRead, resourceId: 'graph-sp' },
      ]),
      env,
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'Application.Read.All: already granted\nAuditLog.Read.All: already granted\nPolicy.Read.All: already granted\nApplication.ReadWrite.OwnedBy: already granted\n',
    );
    expect(posts(run.calls)).toEqual([]);
  });

  it('leaves rotation out with --no-rotation, and changes nothing with --dry-run', () => {
    const noRotation = runWithFakeAz(script, ['--no-rotation', '--principal-id', principalId], tenant());
    expect(noRotation.tenant.assignments.map((a) => a.appRoleId)).toEqual([readAll, auditLog, policyRead]);
    const dryRun = runWithFakeAz(script, ['--dry-run'], tenant(), env);
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain('Application.Read.All: would run: az rest --method POST');
    expect(posts(dryRun.calls)).toEqual([]);
  });

  it('stops without granting when the tenant names a different role id', () => {
    const odd = tenant();
    odd.appRoles['Application.Read.All'] = '00000000-0000-4000-8000-000000000000';
    const run = runWithFakeAz(script, [], odd, env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Application.Read.All has app role id');
    expect(posts(run.calls)).toEqual([]);
  });

  it('warns when a tenant-wide Mail.Send grant would void the mailbox scope', () => {
    const run = runWithFakeAz(script, [], tenant([{ id: 'm', appRoleId: mailSend, resourceId: 'graph-sp' }]), env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('holds Mail.Send for every mailbox');
  });

  it('asks for the principal id when it has none', () => {
    const run = runWithFakeAz(script, [], tenant());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no principal id');
    expect(run.calls).toEqual([]);
  });
});
