import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface TestCertificate {
  /** The public certificate alone: what is uploaded to an app registration. */
  certificatePem: string;
  /** Private key and certificate in one PEM: what Vigil reads from Key Vault for certificate sign-in. */
  pem: string;
}

/** A fresh self-signed RSA certificate, as `New-SelfSignedCertificate` would make for an app's sign-in. */
export async function selfSignedCertificate(subject: string, validDays = 365): Promise<TestCertificate> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${subject}`,
    keys,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + validDays * 86_400_000),
  });
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  const certificatePem = certificate.toString('pem');
  return { certificatePem, pem: `${keyPem}\n${certificatePem}\n` };
}
