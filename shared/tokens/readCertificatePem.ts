import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/** A certificate credential as read from its Key Vault secret: the key that signs assertions, and what names it. */
export interface CertificateCredential {
  privateKey: KeyObject;
  /** `x5t#S256`: base64url of the SHA-256 of the certificate's DER, as Entra matches it to the app's keyCredentials. */
  thumbprintSha256: string;
  /** `x5t`: the same with SHA-1 (Entra's older header, accepted too). */
  thumbprintSha1: string;
  /** The certificate's `notAfter`, ISO UTC: after it Entra refuses the assertion (AADSTS700027 "key expired"). */
  endDateTime: string;
}

/**
 * Reads a certificate with its private key from one PEM, the form Key Vault stores a certificate's secret
 * in when the certificate's content type is `application/x-pem-file` (and the form a person stores by
 * hand). A PKCS#12 (Key Vault's other content type) or anything else is refused with a reason that
 * quotes nothing of the value.
 */
export function readCertificatePem(pem: string): CertificateCredential | { problem: string } {
  const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyBlock = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certificateBlock || !keyBlock)
    return {
      problem:
        'is not a PEM holding both a certificate and its private key (a Key Vault certificate must use content type application/x-pem-file)',
    };
  try {
    const certificate = new X509Certificate(certificateBlock);
    const privateKey = createPrivateKey(keyBlock);
    if (privateKey.asymmetricKeyType !== 'rsa') return { problem: 'holds a key that is not RSA (Entra expects RS256 or PS256)' };
    if (!certificate.checkPrivateKey(privateKey)) return { problem: "holds a private key that is not the certificate's" };
    return {
      privateKey,
      thumbprintSha256: createHash('sha256').update(certificate.raw).digest('base64url'),
      thumbprintSha1: createHash('sha1').update(certificate.raw).digest('base64url'),
      endDateTime: new Date(certificate.validTo).toISOString(),
    };
  } catch (error) {
    return { problem: `could not be read as a certificate and key (${error instanceof Error ? error.name : 'error'})` };
  }
}
