import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every id in infra/ must be a real one, named here with where it was checked. A wrong GUID deploys
// without complaint and grants nothing (or something else), so it is not left to the first deployment.

/** Azure built-in roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles (page dated 2026-04-09). */
const azureRoles: Record<string, string> = {
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
};

/** Microsoft Graph application permissions: https://learn.microsoft.com/graph/permissions-reference (page dated 2026-05-18). */
const graphAppRoles: Record<string, string> = {
  '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30': 'Application.Read.All',
  '18a4783c-866b-4cc7-a460-3d5e5662c884': 'Application.ReadWrite.OwnedBy',
  // Note a93e, not a93d: a one-letter slip here would grant nothing.
  'b633e1c5-b582-4048-a93e-9f11b44c7e96': 'Mail.Send',
  // Issue 16: the credential usage report and app management policies (checked 2026-12-04: no source
  // publishes an app role id for Policy.Read.ApplicationConfiguration; readTenantPolicies.ts says more).
  'b0afded3-3588-46d8-8b3d-9842eff778da': 'AuditLog.Read.All',
  '246dd0d5-5bd0-4def-940b-0421030a5b68': 'Policy.Read.All',
};

const wellKnownAppIds: Record<string, string> = { '00000003-0000-0000-c000-000000000000': 'Microsoft Graph' };

/** Broader than Vigil needs; none may appear (same sources). */
const tooBroad: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': 'Key Vault Administrator',
  '17d1049b-9a84-46fb-8f53-869881c3d3ab': 'Storage Account Contributor',
  '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9': 'Application.ReadWrite.All',
  '06b708a9-e830-4db3-a914-8e69da51d44f': 'AppRoleAssignment.ReadWrite.All',
};

const infra = path.resolve(import.meta.dirname, '../../infra');
const infraFiles = readdirSync(infra, { recursive: true, encoding: 'utf8' })
  .filter((p) => /\.(bicep|sh|json)$/.test(p))
  .map((p) => ({ name: `infra/${p}`, text: readFileSync(path.join(infra, p), 'utf8') }));
const read = (p: string) => readFileSync(path.join(infra, p), 'utf8');
const guids = (text: string) => text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
const known = { ...azureRoles, ...graphAppRoles, ...wellKnownAppIds };

describe('role and permission ids in infra/', () => {
  it('are all known, named ids', () => {
    const unknown = infraFiles.flatMap((f) =>
      guids(f.text)
        .filter((g) => !(g.toLowerCase() in known))
        .map((g) => `${f.name}: ${g}`),
    );
    expect(unknown).toEqual([]);
  });

  it('never include a role broader than Vigil needs', () => {
    const broad = infraFiles.flatMap((f) =>
      guids(f.text)
        .filter((g) => g.toLowerCase() in tooBroad)
        .map((g) => `${f.name}: ${tooBroad[g.toLowerCase()]}`),
    );
    expect(broad).toEqual([]);
  });

  it('carry the right name wherever Bicep names them', () => {
    for (const f of infraFiles.filter((file) => file.name.endsWith('.bicep'))) {
      for (const [, name, id] of f.text.matchAll(/'([^']+)':\s*'([0-9a-f-]{36})'/g)) expect(known[id!], `${f.name}: '${name}'`).toBe(name);
    }
  });

  it('carry the right name in the grant script', () => {
    const pairs = [...read('scripts/grant-graph-permissions.sh').matchAll(/^\s+([\w.]+)\) echo ([0-9a-f-]{36}) ;;$/gm)];
    expect(pairs.map(([, name]) => name)).toEqual([
      'Application.Read.All',
      'Application.ReadWrite.OwnedBy',
      'AuditLog.Read.All',
      'Policy.Read.All',
    ]);
    for (const [, name, id] of pairs) expect(graphAppRoles[id!]).toBe(name);
    expect(read('scripts/grant-graph-permissions.sh')).toContain(`MAIL_SEND_ROLE_ID=${Object.keys(graphAppRoles)[2]}`);
  });

  it('give the identity exactly the Azure roles the issue allows, each on one resource', () => {
    const rbac = read('app/rbac.bicep');
    const roleMap = /var roleIds = \{([^}]*)\}/.exec(rbac)?.[1] ?? '';
    expect([...roleMap.matchAll(/'([^']+)':/g)].map(([, name]) => name).sort()).toEqual(Object.values(azureRoles).sort());
    const assignments = rbac.split("'Microsoft.Authorization/roleAssignments@").slice(1);
    expect(assignments).toHaveLength(4);
    for (const a of assignments) expect(a).toMatch(/\n\s+scope: (storage|vault|insights)\n/);
  });

  it('grant Graph application permissions but never Mail.Send tenant-wide', () => {
    const graph = read('graph/graphPermissions.bicep');
    expect(guids(graph).map((g) => known[g])).toEqual([
      'Microsoft Graph',
      'Application.Read.All',
      'Application.ReadWrite.OwnedBy',
      'AuditLog.Read.All',
      'Policy.Read.All',
    ]);
    expect(graph).not.toMatch(/'Mail\.Send'\s*:/);
  });
});
