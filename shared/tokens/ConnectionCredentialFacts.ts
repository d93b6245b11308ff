import { vaultCopyTags } from '../scanner/vaultCopyTags.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';
import type { LapseCause } from '../events/vigilEvent.js';
import type { FindingStatus } from '../scanner/Finding.js';
import type { ClientCredentialKind } from './Connection.js';
import type { StoredSecret } from './TokenPorts.js';

/**
 * What a connection knows of the credential it signs in with, from that secret's Key Vault properties
 * and tags (never its value): which app credential it copies, and when it ends. For a certificate, its
 * end is the certificate's own `notAfter` (or Key Vault's `exp`, when sooner).
 */
export interface ConnectionCredentialFacts {
  /** A client secret, or a certificate (`private_key_jwt`); absent on states saved before certificates: a client secret. */
  kind?: ClientCredentialKind | undefined;
  /** Its Key Vault secret's name (`vigil-client-secret-name` or `vigil-client-certificate-name`). */
  name: string;
  appId: string | null;
  keyId: string | null;
  /** Key Vault's `exp`, when set (rotation sets it to the credential's end). */
  endDateTime: string | null;
}

export function toClientSecretFacts(secret: Omit<StoredSecret, 'value'>): ConnectionCredentialFacts {
  return {
    kind: 'clientSecret',
    name: secret.name,
    appId: secret.tags[vaultCopyTags.appId]?.toLowerCase() ?? null,
    keyId: secret.tags[vaultCopyTags.keyId]?.toLowerCase() ?? null,
    endDateTime: secret.expiresOn ? toIsoUtc(secret.expiresOn) : null,
  };
}

/** A certificate's facts: the app it signs in for, and the sooner of its `notAfter` and its Key Vault secret's `exp`. */
export function toCertificateFacts(secret: Omit<StoredSecret, 'value'>, appId: string, notAfter: string): ConnectionCredentialFacts {
  const vaultEnd = secret.expiresOn ? toIsoUtc(secret.expiresOn) : undefined;
  return {
    kind: 'certificate',
    name: secret.name,
    appId: appId.toLowerCase(),
    keyId: null,
    endDateTime: vaultEnd && Date.parse(vaultEnd) < Date.parse(notAfter) ? vaultEnd : notAfter,
  };
}

/** The scanner's finding for a connection's client secret: what a refresh failing with it belongs to. */
export interface LinkedFinding {
  findingId: string;
  tenantId: string;
  objectId: string;
  keyId: string;
  subjectName: string;
  endDateTime: string;
  status: FindingStatus;
}

/**
 * The scanner's findings on client secrets, looked up from the token side: by the key id the copy is
 * tagged with, else (a copy tagged with the app alone, or not at all) the one client secret of the
 * connection's app that has ended by `nowMs`.
 */
export interface ClientSecretFindings {
  find(appId: string, keyId: string | null, nowMs: number): Promise<LinkedFinding | undefined>;
}

/**
 * When a connection lapses if nobody acts: its refresh token's lapse, or its credential's end (client
 * secret or certificate) when that comes first (a helpdesk whose secret expires stops, however fresh
 * its refresh token).
 */
export function expectedLapseOf(
  refreshTokenLapse: string | undefined,
  credentialEnd: string | null | undefined,
  credentialKind: ClientCredentialKind = 'clientSecret',
): { at: string; cause: LapseCause } | undefined {
  if (credentialEnd && (!refreshTokenLapse || Date.parse(credentialEnd) < Date.parse(refreshTokenLapse)))
    return { at: credentialEnd, cause: credentialKind === 'certificate' ? 'clientCertificate' : 'clientSecret' };
  return refreshTokenLapse ? { at: refreshTokenLapse, cause: 'refreshToken' } : undefined;
}

/** AADSTS codes that mean the client secret itself is expired or not the app's: the scanner's business too. */
export const clientSecretLapseCodes: readonly string[] = ['AADSTS7000222', 'AADSTS7000215'];
