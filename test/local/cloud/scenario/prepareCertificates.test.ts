import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareCertificates } from '../../../../local/cloud/scenario/prepareCertificates.js';
import type { Scenario } from '../../../../local/cloud/scenario/scenarioSchema.js';
import { seedScenario } from '../../../../local/cloud/scenario/seedScenario.js';
import { CloudStore } from '../../../../local/cloud/state/CloudStore.js';
import { readCertificatePem } from '../../../../shared/tokens/readCertificatePem.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const scenario = {
  tenants: [
    {
      id: TENANT,
      displayName: 'Contoso',
      defaultDomain: 'contoso.onmicrosoft.com',
      applications: [{ displayName: 'Cerb', keyCredentials: [{ displayName: 'cerb-signing', end: { inDays: 40 }, withPrivateKey: true }] }],
    },
  ],
  vaults: [
    {
      name: 'contoso-vigil',
      tenant: TENANT,
      secrets: [{ name: 'cerb-certificate', value: { certificate: { application: 'Cerb', credential: 'cerb-signing' } } }],
    },
  ],
} as unknown as Scenario;

describe('a scenario key credential with a private key', () => {
  it('registers a real certificate on the app, over its dates, and its PEM with the key can be stored in a vault', async () => {
    const store = CloudStore.open();
    // The store's clock ten days behind the machine's (as the admin API moves it): a prepareCertificates that read the
    // wall clock instead of the instant given would date the certificate ten days off, at any load.
    store.moveClock({ ms: -10 * 86_400_000 });
    const now = store.now();
    const seed = seedScenario(store, scenario, await prepareCertificates(scenario, now));
    const key = store.directory.application(seed.appIds['Cerb']!)!.app.keyCredentials[0]!;
    const pem = store.vault('contoso-vigil')!.secrets['cerb-certificate']!.versions[0]!.value;
    const read = readCertificatePem(pem);
    if ('problem' in read) throw new Error(read.problem);
    const registered = new X509Certificate(Buffer.from(key.key!, 'base64'));
    expect(registered.checkPrivateKey(read.privateKey)).toBe(true);
    // The key credential is dated by the certificate, however long its key took to make.
    expect(key.endDateTime).toBe(read.endDateTime);
    expect(key.startDateTime).toBe(new Date(registered.validFrom).toISOString());
    // And those are the scenario's own dates from the instant given: ends in 40 days, starts (by default) 30 days
    // back, each to the whole second a certificate holds.
    const wholeSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    expect(key.endDateTime).toBe(wholeSecond(now.getTime() + 40 * 86_400_000));
    expect(key.startDateTime).toBe(wholeSecond(now.getTime() - 30 * 86_400_000));
    expect(seed.certificates?.['Cerb/cerb-signing']).toBe(pem);
  });

  it('is refused by name when seeding was not given its certificate', () => {
    expect(() => seedScenario(CloudStore.open(), scenario)).toThrow(/Cerb\/cerb-signing asks for a private key/);
  });
});
