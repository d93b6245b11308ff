import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSecretCache } from '../../../../shared/adapters/keyVault/createSecretCache.js';
import { startTestCloud, type TestCloud } from '../../../support/startTestCloud.js';
import { VAULT } from '../../../support/testScenario.js';

let t: TestCloud;
let clock = 0;
const TTL = 5 * 60_000;
beforeAll(async () => {
  t = await startTestCloud();
  await t.secretClient(VAULT).setSecret('teams-url', 'https://workflow.example/one?sig=first');
});
afterAll(async () => t?.stop());
beforeEach(async () => {
  clock += 10 * TTL;
  await t.admin('/admin/faults', undefined, 'DELETE');
});

/** A cache over the real Key Vault client (no SDK retries), on a clock the test moves. */
const cache = () => createSecretCache(t.secretClient(VAULT), TTL, () => clock);
const vaultFails = (action: unknown) => t.admin('/admin/faults', { service: 'keyvault', path: '/secrets/teams-url', action, times: 100 });

describe('the channel-secret cache against the local Key Vault', () => {
  it('reads again after its lifetime and picks up a new value', async () => {
    const secrets = cache();
    expect(await secrets.get('teams-url')).toEqual({ kind: 'current', value: 'https://workflow.example/one?sig=first' });
    await t.secretClient(VAULT).setSecret('teams-url', 'https://workflow.example/two?sig=second');
    expect(await secrets.get('teams-url')).toMatchObject({ value: 'https://workflow.example/one?sig=first' });
    clock += TTL;
    expect(await secrets.get('teams-url')).toEqual({ kind: 'current', value: 'https://workflow.example/two?sig=second' });
  });

  it.each([
    ['throttled', { kind: 'status', status: 429, retryAfterSeconds: 1 }, 'Key Vault could not be read (HTTP 429)'],
    ['down', { kind: 'status', status: 503 }, 'Key Vault could not be read (HTTP 503 InjectedFault)'],
    [
      'refusing Vigil',
      { kind: 'status', status: 403, body: { error: { code: 'Forbidden', message: 'no role' } } },
      'Key Vault could not be read (forbidden: Forbidden)',
    ],
  ])('serves the last good value for the life of the process while Key Vault is %s', async (_, action, because) => {
    const secrets = cache();
    const { value } = (await secrets.get('teams-url')) as { value: string };
    clock += TTL;
    await vaultFails(action);
    expect(await secrets.get('teams-url')).toEqual({ kind: 'lastKnownGood', value, because });
    clock += 100 * TTL;
    expect(await secrets.get('teams-url')).toMatchObject({ kind: 'lastKnownGood', value });
    expect(JSON.stringify(because)).not.toContain('sig=');
  });

  it('has nothing to serve when Key Vault fails before the first read, and asks again at once', async () => {
    await vaultFails({ kind: 'status', status: 503 });
    const secrets = cache();
    expect(await secrets.get('teams-url')).toEqual({ kind: 'unreadable', because: 'Key Vault could not be read (HTTP 503 InjectedFault)' });
    await t.admin('/admin/faults', undefined, 'DELETE');
    expect(await secrets.get('teams-url')).toMatchObject({ kind: 'current' });
  });

  it('stops serving a secret someone deleted or disabled: the channel was switched off on purpose', async () => {
    await t.secretClient(VAULT).setSecret('doomed-url', 'https://workflow.example/doomed?sig=x');
    const secrets = createSecretCache(t.secretClient(VAULT), TTL, () => clock);
    expect(await secrets.get('doomed-url')).toMatchObject({ kind: 'current' });
    await t.secretClient(VAULT).updateSecretProperties('doomed-url', '', { enabled: false });
    clock += TTL;
    expect(await secrets.get('doomed-url')).toEqual({ kind: 'absent', because: 'disabled' });
    await (await t.secretClient(VAULT).beginDeleteSecret('doomed-url')).pollUntilDone();
    clock += TTL;
    expect(await secrets.get('doomed-url')).toEqual({ kind: 'absent', because: 'deleted' });
  });
});
