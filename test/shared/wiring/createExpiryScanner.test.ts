import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../shared/settings/loadSettings.js';
import { createExpiryScanner } from '../../../shared/wiring/createExpiryScanner.js';

const HOME = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';
const CUSTOMER = 'FAB0FAB0-2222-4BBB-9CCC-0123456789AB';
const settings = loadSettings({
  VIGIL_TENANT_ID: HOME,
  VIGIL_KEY_VAULT_URLS: 'https://v.vault.azure.net',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  VIGIL_TENANTS: JSON.stringify([
    { tenantId: HOME, displayName: 'Contoso', auth: { kind: 'managedIdentity' } },
    { tenantId: CUSTOMER, displayName: 'Fabrikam', auth: { kind: 'clientSecret', clientId: HOME, keyVaultSecretName: 'fabrikam' } },
  ]),
});
const unused: TokenCredential = { getToken: () => Promise.reject(new Error('no sign-in in this test')) };
// Nothing here is sent: the scanner only keeps its tables and publishers until a scan uses them.
const scanner = createExpiryScanner(settings, unused, {
  table: (name) => TableClient.fromConnectionString('UseDevelopmentStorage=true', name),
  events: { publish: () => Promise.resolve() },
  vaultHealth: { record: () => Promise.resolve([]) },
  vigilFaultLog: () => undefined,
});

describe('createExpiryScanner', () => {
  it('finds the tenant a scan message names whatever the case of its id, and no tenant it does not watch', () => {
    expect(scanner.tenantOf(CUSTOMER.toLowerCase())?.displayName).toBe('Fabrikam');
    expect(scanner.tenantOf(CUSTOMER)?.displayName).toBe('Fabrikam');
    expect(scanner.tenantOf(HOME.toUpperCase())?.displayName).toBe('Contoso');
    expect(scanner.tenantOf('00000000-0000-0000-0000-00000000beef')).toBeUndefined();
  });
});
