import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificateCache } from '../../../shared/tokens/createCertificateCache.js';
import { readCertificatePem } from '../../../shared/tokens/readCertificatePem.js';
import { selfSignedCertificate, type TestCertificate } from '../../support/selfSignedCertificate.js';

let first: TestCertificate;
let second: TestCertificate;
beforeAll(async () => {
  [first, second] = await Promise.all([selfSignedCertificate('Cerb Helpdesk'), selfSignedCertificate('Cerb Helpdesk')]);
});

describe('createCertificateCache', () => {
  it('reads a secret version once: every later refresh gets the same certificate, key and all', () => {
    const read = createCertificateCache();
    const a = read({ name: 'cerb-certificate', version: 'v1', value: first.pem });
    expect(a).toHaveProperty('thumbprintSha256');
    expect(read({ name: 'cerb-certificate', version: 'v1', value: first.pem })).toBe(a);
  });

  it('reads a new version, or a value that changed under the same version, anew', () => {
    const read = createCertificateCache();
    const a = read({ name: 'cerb-certificate', version: 'v1', value: first.pem });
    const b = read({ name: 'cerb-certificate', version: 'v2', value: second.pem });
    expect(b).not.toBe(a);
    expect(b).not.toEqual(a);
    const c = read({ name: 'cerb-certificate', version: 'v2', value: first.pem });
    expect(c).toEqual(a);
  });

  it("keeps two vaults' secrets of one name apart: refreshes that alternate between them read each once", () => {
    const read = createCertificateCache();
    const a = read({ name: 'cerb-certificate', version: 'v1', value: first.pem });
    const b = read({ name: 'cerb-certificate', version: 'w1', value: second.pem });
    expect(read({ name: 'cerb-certificate', version: 'v1', value: first.pem })).toBe(a);
    expect(read({ name: 'cerb-certificate', version: 'w1', value: second.pem })).toBe(b);
  });

  it("never gives one vault's certificate for another's secret of the same name and version", () => {
    const read = createCertificateCache();
    const a = read({ name: 'cerb-certificate', version: 'v1', value: first.pem });
    const b = read({ name: 'cerb-certificate', version: 'v1', value: second.pem });
    expect(b).toEqual(readCertificatePem(second.pem));
    expect(read({ name: 'cerb-certificate', version: 'v1', value: first.pem })).toEqual(a);
  });

  it('keeps the most recently used certificates only', () => {
    const read = createCertificateCache(2);
    const a = read({ name: 'a', version: 'v1', value: first.pem });
    const b = read({ name: 'b', version: 'v1', value: first.pem });
    expect(read({ name: 'a', version: 'v1', value: first.pem })).toBe(a);
    read({ name: 'c', version: 'v1', value: first.pem });
    // b was the least recently used of three: a is still kept, b is read anew.
    expect(read({ name: 'a', version: 'v1', value: first.pem })).toBe(a);
    expect(read({ name: 'b', version: 'v1', value: first.pem })).not.toBe(b);
  });

  it('keeps what is wrong with an unusable value too, without quoting it', () => {
    const read = createCertificateCache();
    const problem = read({ name: 'cerb-certificate', version: 'v1', value: first.certificatePem });
    expect(problem).toMatchObject({ problem: expect.stringContaining('is not a PEM holding both') });
    expect(JSON.stringify(problem)).not.toContain('BEGIN');
  });
});
