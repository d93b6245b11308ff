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

/** The error the SDK throws, with the parts a caller reads: status, code and the inner error. */
async function failureOf(
  promise: Promise<unknown>,
): Promise<{ statusCode: number | undefined; code: string | undefined; message: string; inner: string | undefined }> {
  try {
    await promise;
  } catch (caught) {
    const error = caught as RestError & { details?: { error?: { innerError?: { code?: string } } } };
    return { statusCode: error.statusCode, code: error.code, message: error.message, inner: error.details?.error?.innerError?.code };
  }
  throw new Error('expected the call to fail');
}

describe('secrets through the real SecretClient', () => {
  it('creates a new version on each set and reads the latest or a given version', async () => {
    const first = await client.setSecret('rotating', 'one', { contentType: 'text/plain', tags: { owner: 'vigil' } });
    const second = await client.setSecret('rotating', 'two');
    expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(second.properties.version).not.toBe(first.properties.version);
    expect(second.properties.id).toBe(`${t.cloud.endpoints.vaults[VAULT]}/secrets/rotating/${second.properties.version}`);

    const latest = await client.getSecret('rotating');
    expect(latest.value).toBe('two');
    expect(latest.properties.version).toBe(second.properties.version);
    const old = await client.getSecret('rotating', { version: first.properties.version! });
    expect(old.value).toBe('one');
    expect(old.properties).toMatchObject({
      contentType: 'text/plain',
      tags: { owner: 'vigil' },
      enabled: true,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    });
  });

  it('keeps expiry and not-before in Unix seconds', async () => {
    const expiresOn = new Date('2031-03-04T05:06:07Z');
    const notBefore = new Date('2030-01-02T03:04:05Z');
    await client.setSecret('dated', 'v', { expiresOn, notBefore });
    const read = await client.getSecret('dated');
    expect(read.properties.expiresOn?.toISOString()).toBe(expiresOn.toISOString());
    expect(read.properties.notBefore?.toISOString()).toBe(notBefore.toISOString());
    expect(read.properties.createdOn).toBeInstanceOf(Date);
  });

  it('reads seeded secrets, and names case-insensitively', async () => {
    const seeded = await client.getSecret('CERB-MAILBOX');
    expect(seeded.name).toBe('cerb-mailbox');
    expect(seeded.properties.tags).toMatchObject({ 'vigil-kind': 'delegated-refresh-token' });
  });

  it('pages through secrets with maxPageSize, following nextLink to the end', async () => {
    for (let i = 0; i < 5; i++) await client.setSecret(`paged-${i}`, `value-${i}`);
    const pages: string[][] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) {
      pages.push(page.map((p) => p.name));
      for (const p of page) expect(p.id).toBe(`${t.cloud.endpoints.vaults[VAULT]}/secrets/${p.name}`);
    }
    const names = pages.flat();
    expect(names).toEqual(expect.arrayContaining(['paged-0', 'paged-1', 'paged-2', 'paged-3', 'paged-4', 'cerb-mailbox', 'rotating']));
    expect(new Set(names).size).toBe(names.length);
    expect(pages.map((p) => p.length)).toEqual([...Array<number>(Math.floor(names.length / 2)).fill(2), ...(names.length % 2 ? [1] : [])]);
  });

  it('lists the versions of one secret with version ids and no values', async () => {
    await client.setSecret('versioned', 'a');
    await client.setSecret('versioned', 'b');
    await client.setSecret('versioned', 'c');
    const versions = [];
    for await (const page of client.listPropertiesOfSecretVersions('versioned').byPage({ maxPageSize: 2 })) versions.push(...page);
    expect(versions).toHaveLength(3);
    for (const v of versions) expect(v.id).toBe(`${t.cloud.endpoints.vaults[VAULT]}/secrets/versioned/${v.version}`);
    expect(versions.map((v) => (v as { value?: string }).value)).toEqual([undefined, undefined, undefined]);
  });

  it('disables one version: reading it gives 403 Forbidden / SecretDisabled, the others still read', async () => {
    const first = await client.setSecret('switch', 'on');
    await client.setSecret('switch', 'newer');
    const updated = await client.updateSecretProperties('switch', first.properties.version!, { enabled: false, tags: { state: 'off' } });
    expect(updated).toMatchObject({ enabled: false, tags: { state: 'off' } });

    const failure = await failureOf(client.getSecret('switch', { version: first.properties.version! }));
    expect(failure).toMatchObject({
      statusCode: 403,
      code: 'Forbidden',
      message: 'Operation get is not allowed on a disabled secret.',
      inner: 'SecretDisabled',
    });
    expect((await client.getSecret('switch')).value).toBe('newer');
  });

  it('answers 404 SecretNotFound for an unknown secret or version', async () => {
    const missing = await failureOf(client.getSecret('never-set'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(missing.message).toMatch(/^A secret with \(name\/id\) never-set was not found in this key vault\./);
    const badVersion = await failureOf(client.getSecret('rotating', { version: '0123456789abcdef0123456789abcdef' }));
    expect(badVersion).toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    expect(badVersion.message).toContain('rotating/0123456789abcdef0123456789abcdef');
  });

  it('rejects a name outside ^[0-9a-zA-Z-]+$ with 400 BadParameter', async () => {
    const failure = await failureOf(client.setSecret('bad_name', 'x'));
    expect(failure).toMatchObject({ statusCode: 400, code: 'BadParameter', message: 'The request URI contains an invalid name: bad_name' });
  });
});
