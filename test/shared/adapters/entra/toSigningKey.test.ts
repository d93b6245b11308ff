import { describe, expect, it } from 'vitest';
import { toSigningKey } from '../../../../shared/adapters/entra/toClientAuth.js';
import { readCertificatePem, type CertificateCredential } from '../../../../shared/tokens/readCertificatePem.js';
import { selfSignedCertificate } from '../../../support/selfSignedCertificate.js';

describe('toSigningKey', () => {
  it('imports a certificate’s key once, however many requests sign with it', async () => {
    const certificate = readCertificatePem((await selfSignedCertificate('Cerb Helpdesk')).pem) as CertificateCredential;
    const key = toSigningKey(certificate);
    expect(toSigningKey(certificate)).toBe(key);
    expect((await key).algorithm).toMatchObject({ name: 'RSA-PSS' });
    expect((await key).extractable).toBe(false);
  });
});
