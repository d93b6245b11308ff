import { randomUUID, webcrypto } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { CertificateCredential } from '../../tokens/readCertificatePem.js';
import type { ClientCredential } from '../../tokens/TokenPorts.js';

/**
 * How a token request authenticates the app (oauth4webapi's client auth): `client_secret_post` with a
 * client secret, or `private_key_jwt` with a certificate, as Microsoft's "certificate credentials" page
 * describes the assertion: PS256, `typ` JWT, `x5t#S256` (and the SHA-1 `x5t` older endpoints read) naming
 * the certificate, `aud` the token endpoint itself (not the issuer, oauth4webapi's default), `iss` and
 * `sub` the client id, a GUID `jti`, and a short life (oauth4webapi's 60 s; Entra allows up to 10 min).
 */
export function toClientAuth(credential: ClientCredential, tokenEndpoint: string): oauth.ClientAuth {
  if (credential.kind === 'clientSecret') return oauth.ClientSecretPost(credential.secret);
  const { certificate } = credential;
  return async (as, client, body, headers) => {
    const sign = oauth.PrivateKeyJwt(await toSigningKey(certificate), {
      [oauth.modifyAssertion]: (header, payload) => {
        header['typ'] = 'JWT';
        header['x5t#S256'] = certificate.thumbprintSha256;
        header['x5t'] = certificate.thumbprintSha1;
        payload['aud'] = tokenEndpoint;
        payload['jti'] = randomUUID();
      },
    });
    await sign(as, client, body, headers);
  };
}

/**
 * Signing keys by the certificate read they came from: the token keeper reads a certificate once per
 * secret version (createCertificateCache), so its key is imported once too, not on every request. Weak:
 * a key lives exactly as long as its certificate read is kept.
 */
const signingKeys = new WeakMap<CertificateCredential, Promise<webcrypto.CryptoKey>>();

/** The certificate's RSA key as a WebCrypto signing key for PS256 (RSA-PSS with SHA-256), not extractable. */
export function toSigningKey(certificate: CertificateCredential): Promise<webcrypto.CryptoKey> {
  const kept = signingKeys.get(certificate);
  if (kept) return kept;
  const pkcs8 = certificate.privateKey.export({ format: 'der', type: 'pkcs8' });
  const key = webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
  // A failed import is not kept: the next request tries again.
  signingKeys.set(certificate, key);
  key.catch(() => signingKeys.delete(certificate));
  return key;
}
