import { describe, expect, it } from 'vitest';
import { toDeniedService } from '../../../../shared/adapters/telemetry/toDeniedService.js';

const vaultAgent = ' azsdk-js-keyvault-secrets/4.11.2 core-rest-pipeline/1.24.0';
describe('toDeniedService', () => {
  it.each([
    ['Microsoft.KeyVault', 403, 'keyVault'],
    [vaultAgent, 403, 'keyVault'],
    // The challenge every first request to a vault gets, by design.
    [vaultAgent, 401, undefined],
    ['Microsoft.KeyVault', 404, undefined],
    ['Microsoft.Data.Tables', 403, 'storage'],
    [' azsdk-js-storagequeue/12.30.0', 401, 'storage'],
    ['Microsoft.Storage', 409, undefined],
    ['Microsoft.AAD', 401, undefined],
  ] as const)('%s answering %d → %s', (sdk, status, expected) => expect(toDeniedService(sdk, status)).toBe(expected));
});
