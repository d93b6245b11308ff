import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { describe, expect, it } from 'vitest';
import { createRotationVault } from '../../../../shared/adapters/keyVault/createRotationVault.js';

/** The SDK's RestError as the adapter reads it: its name, status and service code. */
const restError = (statusCode: number, code?: string) =>
  Object.assign(new Error(`HTTP ${statusCode}`), { name: 'RestError', statusCode, code });

/** A SecretClient whose every call fails with `error`: the SDK's boundary, as the rotation adapter meets it. */
const failingClient = (error: Error) => {
  const fail = () => Promise.reject(error);
  return { getSecret: fail, setSecret: fail, updateSecretProperties: fail } as unknown as SecretClient;
};
const write = (error: Error) =>
  createRotationVault(() => failingClient(error)).write('https://v.vault.azure.net', 's', 'value', { tags: {} });

describe('createRotationVault', () => {
  it('tries a throttled or failing Key Vault again later', async () => {
    expect(await write(restError(503, 'ServiceUnavailable'))).toEqual({
      kind: 'failed',
      reason: 'Key Vault write s: HTTP 503 ServiceUnavailable',
      transient: true,
    });
    expect(await write(restError(429))).toMatchObject({ transient: true });
    expect(await write(new AuthenticationError(429, { error: 'temporarily_unavailable', error_description: 'x' }))).toMatchObject({
      transient: true,
    });
  });

  it('does not retry what needs a person: a missing identity, a refused role or a rejected request', async () => {
    expect(await write(new CredentialUnavailableError('no managed identity'))).toEqual({
      kind: 'failed',
      reason: 'Key Vault write s: Vigil could not get a token for Key Vault',
      transient: false,
    });
    expect(await write(restError(403, 'Forbidden'))).toMatchObject({ transient: false });
    expect(await write(restError(400, 'BadParameter'))).toMatchObject({ transient: false });
  });

  it('reads a missing secret as notFound, not as a failure', async () => {
    const vault = createRotationVault(() => failingClient(restError(404, 'SecretNotFound')));
    expect(await vault.latest('https://v.vault.azure.net', 's')).toEqual({ kind: 'notFound' });
  });
});
