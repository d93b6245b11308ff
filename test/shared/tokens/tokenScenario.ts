import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import type { TestCloud } from '../../support/startTestCloud.js';
import { CERB_APP_ID, TENANT, VAULT, testScenario } from '../../support/testScenario.js';

export const IMAP = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const API = 'api://vigil';
export const OPERATOR_SECRET = 'token-operator-secret-0123456789';
export const VIEWER_SECRET = 'token-viewer-secret-0123456789';
export const OPS_USER = 'ops@contoso.onmicrosoft.com';

/** Tags of a Cerb mailbox connection in the test vault, as an operator sets them. */
export const cerbTags = (owner: string): Record<string, string> => ({
  'vigil-kind': 'delegated-refresh-token',
  'vigil-tenant': TENANT,
  'vigil-client-id': CERB_APP_ID,
  'vigil-client-secret-name': 'cerb-client-secret',
  'vigil-scopes': `offline_access ${IMAP}`,
  'vigil-cloud': 'global',
  'vigil-owner': owner,
  'vigil-downstream': 'Cerb',
});

/**
 * The test scenario plus connections for the token keeper's tests, one per situation so each test
 * owns its connection (a token of a user whose sessions get revoked, healthy ones, one with broken
 * tags), and callers of Vigil's API.
 */
export function tokenScenario(): Scenario {
  const base = testScenario();
  const tenant = base.tenants[0]!;
  // Vigil's API and two callers: an operator with both roles, a viewer who may only read.
  tenant.applications = [
    ...(tenant.applications ?? []).map((a) =>
      a.displayName === 'Vigil' ? { ...a, identifierUris: [API], appRoles: ['Vigil.Read', 'Vigil.Rotate'] } : a,
    ),
    {
      displayName: 'Token operator',
      passwordCredentials: [{ displayName: 'cli', secretText: OPERATOR_SECRET, end: { inDays: 300 } }],
      roles: { [API]: ['Vigil.Read', 'Vigil.Rotate'] },
    },
    {
      displayName: 'Token viewer',
      passwordCredentials: [{ displayName: 'cli', secretText: VIEWER_SECRET, end: { inDays: 300 } }],
      roles: { [API]: ['Vigil.Read'] },
    },
  ];
  tenant.grants = [...(tenant.grants ?? []), { client: 'Cerb Helpdesk', user: OPS_USER, scopes: ['offline_access', IMAP] }];
  tenant.refreshTokens = [
    ...(tenant.refreshTokens ?? []),
    ...['ops', 'flaky', 'fragile', 'twin'].map((name) => ({
      name,
      client: 'Cerb Helpdesk',
      user: name === 'ops' ? OPS_USER : 'helpdesk@contoso.onmicrosoft.com',
      scopes: ['offline_access', IMAP],
    })),
  ];
  const vault = base.vaults!.find((v) => v.name === VAULT)!;
  vault.secrets = [
    ...(vault.secrets ?? []),
    { name: 'ops-mailbox', value: { refreshToken: 'ops' }, tags: cerbTags(OPS_USER) },
    { name: 'flaky-mailbox', value: { refreshToken: 'flaky' }, tags: cerbTags('helpdesk@contoso.onmicrosoft.com') },
    { name: 'fragile-mailbox', value: { refreshToken: 'fragile' }, tags: cerbTags('helpdesk@contoso.onmicrosoft.com') },
    { name: 'twin-mailbox', value: { refreshToken: 'twin' }, tags: cerbTags('helpdesk@contoso.onmicrosoft.com') },
    {
      name: 'broken-mailbox',
      value: { literal: 'not-a-token-but-secret-0123456789' },
      tags: { 'vigil-kind': 'delegated-refresh-token', 'vigil-cloud': 'moon', 'vigil-owner': OPS_USER },
    },
  ];
  return base;
}

/** Every secret value the scenario seeded, to search captured output for. */
export function seededSecretValues(seed: { clientSecrets: Record<string, string>; refreshTokens: Record<string, string> }): string[] {
  return [...Object.values(seed.clientSecrets), ...Object.values(seed.refreshTokens), 'not-a-token-but-secret-0123456789'];
}

/** The ops mailbox owner signs in to Cerb again: a minute on (so a stored version differs in time), a fresh refresh token. */
export async function signInAgain(cloud: Pick<TestCloud, 'admin'>): Promise<string> {
  await cloud.admin('/admin/clock', { advanceMs: 60_000 });
  const { refreshToken } = (await cloud.admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
    client: 'Cerb Helpdesk',
    user: OPS_USER,
    scopes: ['offline_access', IMAP],
  })) as { refreshToken: string };
  return refreshToken;
}
