import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
// Also sets @peculiar/x509's crypto provider to Node's WebCrypto, as the local cloud's certificates need.
import { RSA_SIGNING_KEY } from '../../local/cloud/tls/ensureCertificates.js';

export interface TestCertificate {
  /** The public certificate alone: what is uploaded to an app registration. */
  certificatePem: string;
  /** Private key and certificate in one PEM: what Vigil reads from Key Vault for certificate sign-in. */
  pem: string;
}

/** A fresh self-signed RSA certificate, as `New-SelfSignedCertificate` would make for an app's sign-in. */
export async function selfSignedCertificate(subject: string, validDays = 365): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA_SIGNING_KEY, true, ['sign', 'verify']);
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
