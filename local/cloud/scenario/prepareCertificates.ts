import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
// Also sets @peculiar/x509's crypto provider to Node's WebCrypto.
import { RSA_SIGNING_KEY } from '../tls/ensureCertificates.js';
import { scenarioSchema, type DateSpec, type Scenario } from './scenarioSchema.js';
import type { PreparedCertificates } from './SeedContext.js';

/**
 * Makes a self-signed RSA certificate for every application key credential marked `withPrivateKey`, valid
 * over its scenario dates (days from `now`, the seeding instant), before the synchronous seeding runs:
 * seeding registers the certificate on the app, and a vault secret may hold its PEM with the key.
 */
export async function prepareCertificates(input: Scenario, now: Date): Promise<PreparedCertificates> {
  const at = (spec: DateSpec) => (typeof spec === 'string' ? new Date(spec) : new Date(now.getTime() + spec.inDays * 86_400_000));
  const made = new Map<string, { certificatePem: string; pem: string }>();
  for (const tenant of scenarioSchema.parse(input).tenants)
    for (const app of tenant.applications)
      for (const [i, key] of app.keyCredentials.entries()) {
        if (!key.withPrivateKey) continue;
        const displayName = key.displayName ?? `CN=${app.displayName}-${i + 1}`;
        const keys = await webcrypto.subtle.generateKey(RSA_SIGNING_KEY, true, ['sign', 'verify']);
        const certificate = await x509.X509CertificateGenerator.createSelfSigned({
          name: `CN=${displayName.replace(/^CN=/, '').replace(/[,=+<>#;"\\]/g, ' ')}`,
          keys,
          notBefore: at(key.start ?? { inDays: -30 }),
          notAfter: at(key.end),
        });
        const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
        const certificatePem = certificate.toString('pem');
        made.set(`${app.displayName}/${displayName}`, { certificatePem, pem: `${keyPem}\n${certificatePem}\n` });
      }
  return made;
}
