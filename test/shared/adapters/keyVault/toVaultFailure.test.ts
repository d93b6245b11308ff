import { AuthenticationError } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRotationVault } from '../../../../shared/adapters/keyVault/createRotationVault.js';
import { createSecretClient } from '../../../../shared/adapters/keyVault/createSecretClient.js';
import { createTokenVault } from '../../../../shared/adapters/keyVault/createTokenVault.js';
import { createVaultReader } from '../../../../shared/adapters/keyVault/createVaultReader.js';
import { toDescribableVaultError, toVaultFailure } from '../../../../shared/adapters/keyVault/toVaultFailure.js';
import { describeError } from '../../../../shared/helpers/describeError.js';
import { VaultListingError } from '../../../../shared/inventory/VaultHealth.js';
import { toVaultProblem } from '../../../../shared/inventory/toVaultProblem.js';

describe('toVaultFailure', () => {
  it('reads Entra throttling Vigil’s token request as an outage that passes, not a missing identity', () => {
    const failure = toVaultFailure(new AuthenticationError(429, { error: 'temporarily_unavailable', error_description: 'throttled' }));
    const problem = toVaultProblem(failure, 'x');
    expect(problem).toMatchObject({ persistent: false });
    expect(problem.reason).toContain("Entra's token endpoint");
    expect(problem.reason).not.toContain('its own identity');
  });

  it('still reads a refused sign-in (a wrong secret) as Vigil’s identity failing, for a person to fix', () => {
    const failure = toVaultFailure(
      new AuthenticationError(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret' }),
    );
    expect(toVaultProblem(failure, 'x')).toMatchObject({ code: 'VigilAuthenticationFailed', persistent: true });
  });
});

describe('an error a Key Vault call meets that is not an answer of Key Vault’s', () => {
  // The canary is in the vault's host and the secret's name: neither may reach a log through the error.
  const insecureVault = 'http://canary-host.vault.azure.net';
  const token = { getToken: async () => ({ token: 'canary-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  /** What the host's log would show of a thrown error (its stack and fields, as Node prints it), and Vigil's description. */
  const logged = (error: unknown) => `${inspect(error)}\n${describeError(error)}`;

  it('reaches the host log as its class, code and frames: never its message, which names the host and the secret', async () => {
    const client = createSecretClient(insecureVault, token, { retryOptions: { maxRetries: 0 } });
    // The SDK's own plain Error: "Cannot connect to http://canary-host…/secrets/canary-secret/… while allowInsecureConnection is false".
    const thrown = await createRotationVault(() => client)
      .latest(insecureVault, 'canary-secret')
      .catch((error: unknown) => error);
    expect(logged(thrown)).not.toMatch(/canary/);
    // Its one fact a person can act on is kept, read from the SDK's fixed text, without the URL it quotes.
    expect(describeError(thrown)).toBe('A Key Vault call was not sent: the Key Vault URL is not https');
    expect((thrown as Error).stack).toMatch(/^Error: A Key Vault call was not sent: the Key Vault URL is not https\n\s+at /);

    // Node's TypeError for a URL that makes none holds it in `input` as well as in its message.
    const badUrl = Object.assign(new TypeError('Invalid URL: https://canary-host/secrets/canary-secret'), {
      code: 'ERR_INVALID_URL',
      input: 'https://canary-host/secrets/canary-secret',
    });
    const vault = createTokenVault(insecureVault, { getSecret: () => Promise.reject(badUrl) } as unknown as SecretClient);
    const read = await vault.read('canary-secret').catch((error: unknown) => error);
    expect(logged(read)).not.toMatch(/canary/);
    expect(describeError(read)).toBe("A Key Vault call failed with TypeError (ERR_INVALID_URL), not with an answer of Key Vault's");
    // A tenant's sign-in secret is read outside the ports (createTenantClients) and described the same way; Key Vault's own error as it is.
    expect(logged(toDescribableVaultError(badUrl))).not.toMatch(/canary/);
    // Any other plain Error is named by its class only, its message (here naming the host) never read.
    expect(describeError(toDescribableVaultError(new Error('Cannot reach canary-host')))).toBe(
      "A Key Vault call failed with Error, not with an answer of Key Vault's",
    );
    const refused = Object.assign(new Error('Forbidden by canary-host policy'), { name: 'RestError', statusCode: 403, code: 'Forbidden' });
    expect(toDescribableVaultError(refused)).toBe(refused);
  });

  it('is listed as a vault that could not be checked, named by its configured URL and why, never the URL the SDK quotes', async () => {
    const listing = createVaultReader(insecureVault, createSecretClient(insecureVault, token, { retryOptions: { maxRetries: 0 } }));
    const thrown = await (async () => {
      for await (const _ of listing.listSecrets());
    })().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(VaultListingError);
    expect((thrown as Error).message).toBe(`Key Vault ${insecureVault}: A Key Vault call was not sent: the Key Vault URL is not https`);
  });
});
