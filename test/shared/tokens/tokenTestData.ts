import { Duration } from 'luxon';
import type { Connection } from '../../../shared/tokens/Connection.js';
import type { RefreshPolicy } from '../../../shared/tokens/RefreshPolicy.js';

export const VAULT_URL = 'https://contoso-vigil.vault.azure.net';
export const TENANT_ID = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';
export const CLIENT_ID = '44f628de-020f-43a1-ad06-1b052459bdc3';

/** Complete, valid tags for a connection, to vary one at a time. */
export const goodTags = (): Record<string, string> => ({
  'vigil-kind': 'delegated-refresh-token',
  'vigil-tenant': TENANT_ID,
  'vigil-client-id': CLIENT_ID,
  'vigil-client-secret-name': 'cerb-client-secret',
  'vigil-scopes': 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
  'vigil-cloud': 'global',
  'vigil-owner': 'ops@contoso.com',
  'vigil-downstream': 'Cerb',
});

export const connection = (name = 'cerb-mailbox'): Connection => ({
  vaultUrl: VAULT_URL,
  name,
  tenant: TENANT_ID,
  clientId: CLIENT_ID,
  credential: { kind: 'clientSecret', secretName: 'cerb-client-secret' },
  scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
  cloud: 'global',
  owner: 'ops@contoso.com',
  downstream: 'Cerb',
  tags: goodTags(),
});

export const policy: RefreshPolicy = {
  probeInterval: Duration.fromObject({ hours: 24 }),
  writeBackAge: Duration.fromObject({ days: 7 }),
  leaseDuration: Duration.fromObject({ minutes: 5 }),
  transientAlertAttempts: 3,
  transientAlertSpan: Duration.fromObject({ hours: 6 }),
};
