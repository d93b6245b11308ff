import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestError } from '@azure/core-rest-pipeline';
import type { SecretClient } from '@azure/keyvault-secrets';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { VAULT } from '../../../support/testScenario.js';

let t: TestCloud;
let client: SecretClient;
beforeAll(async () => {
  t = await startTestCloud();
  client = t.secretClient(VAULT);
});
afterAll(async () => t.stop());

const poll = { intervalInMs: 50 };

type KeyVaultRestError = RestError & { details?: { error?: { innerError?: { code?: string } } } };

async function errorOf(promise: Promise<unknown>): Promise<KeyVaultRestError> {
  try {
    await promise;
  } catch (caught) {
    return caught as KeyVaultRestError;
  }
  throw new Error('expected the call to fail');
}

describe('soft delete, recovery and purge through the real SecretClient', () => {
  it('deletes softly, refuses to reuse the name, recovers every version, then purges', async () => {
    const v1 = await client.setSecret('short-lived', 'one');
    await client.setSecret('short-lived', 'two');

    const deleting = await client.beginDeleteSecret('short-lived', poll);
    const deleted = await deleting.pollUntilDone();
    const vault = t.cloud.endpoints.vaults[VAULT]!;
    expect(deleted.recoveryId).toBe(`${vault}/deletedsecrets/short-lived`);
    expect(deleted.deletedOn).toBeInstanceOf(Date);
    expect(deleted.scheduledPurgeDate!.getTime() - deleted.deletedOn!.getTime()).toBe(90 * 86_400_000);
    expect(deleted.value).toBeUndefined();

    const fetched = await client.getDeletedSecret('short-lived');
    expect(fetched.properties.recoveryId).toBe(`${vault}/deletedsecrets/short-lived`);
    const listed = [];
    for await (const d of client.listDeletedSecrets()) listed.push(d.name);
    expect(listed).toContain('short-lived');
    const live = [];
    for await (const p of client.listPropertiesOfSecrets()) live.push(p.name);
    expect(live).not.toContain('short-lived');

    const gone = await errorOf(client.getSecret('short-lived'));
    expect(gone).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    const conflict = await errorOf(client.setSecret('short-lived', 'three'));
    expect(conflict).toMatchObject({ statusCode: 409, code: 'Conflict' });
    expect(conflict.details?.error?.innerError?.code).toBe('ObjectIsDeletedButRecoverable');
    expect(conflict.message).toBe(
      'Secret short-lived is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.',
    );

    const recovering = await client.beginRecoverDeletedSecret('short-lived', poll);
    const recovered = await recovering.pollUntilDone();
    expect(recovered.name).toBe('short-lived');
    expect((await client.getSecret('short-lived')).value).toBe('two');
    expect((await client.getSecret('short-lived', { version: v1.properties.version! })).value).toBe('one');

    await (await client.beginDeleteSecret('short-lived', poll)).pollUntilDone();
    await client.purgeDeletedSecret('short-lived');
    const purged = await errorOf(client.getDeletedSecret('short-lived'));
    expect(purged).toMatchObject({ statusCode: 404, code: 'SecretNotFound', message: 'Deleted Secret not found: short-lived' });
    const reborn = await client.setSecret('short-lived', 'fresh');
    expect(reborn.value).toBe('fresh');
  });

  it('answers 404 for deleting, recovering or purging what is not there', async () => {
    expect(await errorOf(client.beginDeleteSecret('no-such-secret', poll))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(await errorOf(client.purgeDeletedSecret('no-such-secret'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(await errorOf(client.getDeletedSecret('cerb-mailbox'))).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
  });

  it('purges a deleted secret by itself once its scheduled purge date has passed', async () => {
    await client.setSecret('expiring-deletion', 'x');
    await (await client.beginDeleteSecret('expiring-deletion', poll)).pollUntilDone();
    await t.admin('/admin/clock', { advanceDays: 91 });
    try {
      expect(await errorOf(client.getDeletedSecret('expiring-deletion'))).toMatchObject({ statusCode: 404 });
      expect((await client.setSecret('expiring-deletion', 'y')).value).toBe('y');
    } finally {
      await t.admin('/admin/clock', { reset: true });
    }
  });
});
