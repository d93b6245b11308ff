import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudStore } from '../../../../local/cloud/state/CloudStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A state as an early local cloud saved it: before licences, app management policies, usage, redirect URIs and MFA. */
const earlyState = {
  tenants: [
    {
      id: 't1',
      displayName: 'Contoso',
      cloud: 'global',
      defaultDomain: 'contoso.example',
      users: [{ id: 'u1', userPrincipalName: 'ada@contoso.example', displayName: 'Ada', mail: null, accountEnabled: true }],
      applications: [{ id: 'o1', appId: 'a1', displayName: 'Creatio', createdDateTime: '2025-01-01T00:00:00Z', passwordCredentials: [] }],
      servicePrincipals: [{ id: 's1', appId: 'a1', displayName: 'Creatio', appOwnerOrganizationId: 't1' }],
      grants: [],
      refreshTokens: [],
      changeSeq: 7,
    },
  ],
};

describe('CloudStore.open', () => {
  it('gives a state saved by an earlier version the defaults new records get, keeping what was saved', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-state-'));
    dirs.push(dir);
    const file = path.join(dir, 'state.json');
    writeFileSync(file, JSON.stringify(earlyState));
    const [tenant] = CloudStore.open(file).data.tenants;
    expect(tenant).toMatchObject({
      changeSeq: 7,
      premiumLicense: true,
      defaultAppManagementPolicy: { isEnabled: false },
      appManagementPolicies: [],
      credentialActivity: [],
    });
    expect(tenant?.users[0]).toMatchObject({ mail: null, requiresMfa: false });
    expect(tenant?.applications[0]).toMatchObject({
      webRedirectUris: [],
      federatedIdentityCredentials: [],
      keyCredentials: [],
      ownerIds: [],
    });
    expect(tenant?.servicePrincipals[0]).toMatchObject({ publisherName: null, accountEnabled: true, keyCredentials: [] });
  });
});
