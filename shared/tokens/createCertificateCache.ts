import { readCertificatePem, type CertificateCredential } from './readCertificatePem.js';
import type { StoredSecret } from './TokenPorts.js';

/** Reads a certificate secret's PEM, or says what is wrong with it (readCertificatePem). */
export type ReadCertificate = (secret: Pick<StoredSecret, 'name' | 'version' | 'value'>) => CertificateCredential | { problem: string };

/**
 * Certificates read once per secret version and kept, the most recently used `max` of them: parsing the
 * certificate and checking its key is an RSA operation, and every refresh of every connection on one app
 * would otherwise repeat it (and re-import the signing key, which toClientAuth keeps per certificate read
 * here). A hit needs the same name, version and value, so a value that changed under one version is read anew,
 * and two vaults' secrets of one name never share a certificate: the key holds no vault (a read secret does
 * not say which vault it came from), but Key Vault gives every version its own random id, and a hit is
 * checked against the value it was read from.
 */
export function createCertificateCache(max = 64): ReadCertificate {
  const kept = new Map<string, { pem: string; read: ReturnType<ReadCertificate> }>();
  return ({ name, version, value }) => {
    const key = `${name}/${version}`;
    const hit = kept.get(key);
    kept.delete(key);
    const entry = hit && hit.pem === value ? hit : { pem: value, read: readCertificatePem(value) };
    kept.set(key, entry);
    // A Map iterates in insertion order: the first key is the least recently used.
    if (kept.size > max) kept.delete(kept.keys().next().value!);
    return entry.read;
  };
}
