import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

/** PEM files the local cloud serves with, and the CA a client must trust (NODE_EXTRA_CA_CERTS). */
export interface LocalCertificates {
  readonly caFile: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** RSA 2048 for signing (PKCS#1 v1.5, SHA-256): the local CA, the server and test certificates. */
export const RSA_SIGNING_KEY = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * Creates a private CA and a `localhost` server certificate on first use and reuses them afterwards, so a
 * person who trusts the CA once (curl --cacert, another SDK) keeps trusting every later start.
 */
export async function ensureCertificates(dir: string): Promise<LocalCertificates> {
  const files = { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server-key.pem') };
  if (!(existsSync(files.ca) && existsSync(files.cert) && existsSync(files.key))) {
    await mkdir(dir, { recursive: true });
    const created = await createCertificates();
    await writeFile(files.key, created.keyPem, { mode: 0o600 });
    await writeFile(files.cert, created.certPem);
    await writeFile(files.ca, created.caPem);
  }
  const [caPem, certPem, keyPem] = await Promise.all([
    readFile(files.ca, 'utf8'),
    readFile(files.cert, 'utf8'),
    readFile(files.key, 'utf8'),
  ]);
  return { caFile: files.ca, caPem, certPem, keyPem };
}

async function createCertificates(): Promise<Omit<LocalCertificates, 'caFile'>> {
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(Date.now() + TEN_YEARS_MS);
  const caKeys = await webcrypto.subtle.generateKey(RSA_SIGNING_KEY, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Vigil local cloud CA',
    keys: caKeys,
    notBefore,
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await webcrypto.subtle.generateKey(RSA_SIGNING_KEY, true, ['sign', 'verify']);
  const server = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: ca.subject,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter: new Date(Date.now() + 800 * 24 * 3600 * 1000),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // Node checks subjectAltName, not CN: both the name and the loopback address clients may use.
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  return { caPem: ca.toString('pem'), certPem: server.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
