import { createHash, randomBytes, randomUUID, type X509Certificate } from 'node:crypto';
import type { KeyCredentialRecord, PasswordCredentialRecord } from './model.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether `password` is the user's (the local sign-in page); a user without a password never matches. */
export function passwordMatches(user: { passwordHash?: string }, password: string): boolean {
  return user.passwordHash !== undefined && user.passwordHash === sha256(password);
}

export function newGuid(): string {
  return randomUUID();
}

/** A client secret in Entra's alphabet and length (40 characters). */
export function generateSecretText(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, '~').replace(/\//g, '_').slice(0, 40);
}

export function newPasswordCredential(options: {
  start: Date;
  end: Date;
  displayName?: string | null;
  secretText?: string;
  keyId?: string;
}): { record: PasswordCredentialRecord; secretText: string } {
  const secretText = options.secretText ?? generateSecretText();
  return {
    secretText,
    record: {
      keyId: options.keyId ?? newGuid(),
      displayName: options.displayName ?? null,
      startDateTime: options.start.toISOString(),
      endDateTime: options.end.toISOString(),
      hint: secretText.slice(0, 3),
      secretHash: sha256(secretText),
    },
  };
}

export function newKeyCredential(options: {
  start: Date;
  end: Date;
  displayName?: string | null;
  keyId?: string;
  usage: 'Verify' | 'Sign';
  type: KeyCredentialRecord['type'];
}): KeyCredentialRecord {
  const keyId = options.keyId ?? newGuid();
  return {
    keyId,
    displayName: options.displayName ?? null,
    startDateTime: options.start.toISOString(),
    endDateTime: options.end.toISOString(),
    type: options.type,
    usage: options.usage,
    // Graph shows the certificate thumbprint here by default; a stable stand-in derived from the key id.
    customKeyIdentifier: createHash('sha1').update(keyId).digest('hex').toUpperCase(),
    key: null,
  };
}

/** The SAML signing certificate Entra creates for a SAML app's service principal (`usage: Sign`). */
export function newSamlSigningCertificate(options: { tenantId: string; appName: string; start: Date; end: Date }): KeyCredentialRecord {
  return newKeyCredential({
    start: options.start,
    end: options.end,
    displayName: 'CN=Microsoft Azure Federated SSO Certificate',
    usage: 'Sign',
    type: 'AsymmetricX509Cert',
    keyId: stableGuid(`${options.tenantId}/saml/${options.appName}`),
  });
}

/** `start` plus whole calendar years, as .NET's AddYears (and so Entra) counts them: 29 February becomes 28 February. */
export function addYears(start: Date, years: number): Date {
  const end = new Date(start.getTime());
  end.setUTCFullYear(start.getUTCFullYear() + years);
  if (end.getUTCMonth() !== start.getUTCMonth()) end.setUTCDate(0);
  return end;
}

/** A GUID derived from a name, so seeded demo objects keep their ids across fresh starts. */
export function stableGuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A key credential's fields that come from its certificate, registered as a caller sending the certificate's
 * validity (and the portal's "Upload certificate") registers it: Graph stores the dates the caller sends, here the
 * certificate's validity, with its SHA-1 thumbprint as custom key identifier and the certificate itself (base64 DER)
 * as key, which the token endpoint checks client assertions with.
 */
export function certificateKeyFields(
  certificate: X509Certificate,
): Pick<KeyCredentialRecord, 'startDateTime' | 'endDateTime' | 'customKeyIdentifier' | 'key'> {
  return {
    startDateTime: new Date(certificate.validFrom).toISOString(),
    endDateTime: new Date(certificate.validTo).toISOString(),
    customKeyIdentifier: certificate.fingerprint.replace(/:/g, ''),
    key: certificate.raw.toString('base64'),
  };
}
