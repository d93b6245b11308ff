import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestError } from '@azure/core-rest-pipeline';
import { keyVaultStats } from '../../../../local/cloud/keyvault/keyVaultStats.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { VAULT } from '../../../support/testScenario.js';

let t: TestCloud;
let token: string;
beforeAll(async () => {
  t = await startTestCloud({ limits: { keyVault: { secretCreatesPer10s: 3 } } });
  token = (await t.credential().getToken('https://vault.azure.net/.default')).token;
});
afterAll(async () => t.stop());

const request = (method: string, path: string, body?: unknown) =>
  fetch(`${t.cloud.endpoints.vaults[VAULT]}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('per-vault throttling', () => {
  it('answers the 4th secret create within 10 s with 429, Retry-After and a Throttled body; reads are not affected', async () => {
    for (let i = 0; i < 3; i++)
      expect((await request('PUT', `/secrets/burst-${i}?api-version=2025-07-01`, { value: 'v' })).status).toBe(200);

    const throttled = await request('PUT', '/secrets/burst-3?api-version=2025-07-01', { value: 'v' });
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(await throttled.json()).toEqual({
      error: {
        code: 'Throttled',
        message: 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
      },
    });

    expect((await request('GET', '/secrets/burst-0?api-version=2025-07-01')).status).toBe(200);
    expect(keyVaultStats(t.cloud.context, VAULT)).toMatchObject({ creates: 3, throttled: 1 });
    expect(keyVaultStats(t.cloud.context, VAULT).others).toBeGreaterThanOrEqual(1);
  });

  it('surfaces the 429 to a SecretClient whose retries are off', async () => {
    const error = await t
      .secretClient(VAULT)
      .setSecret('burst-sdk', 'v')
      .then(
        () => undefined,
        (e: unknown) => e as RestError,
      );
    expect(error).toMatchObject({ statusCode: 429, code: 'Throttled' });
    expect(keyVaultStats(t.cloud.context, VAULT).throttled).toBe(2);
  });
});
