import { vaultCopyTags } from '../scanner/vaultCopyTags.js';
import type { StoredSecret } from './TokenVault.js';

/**
 * What a connection knows of the client secret it signs in with, from that secret's Key Vault properties
 * and tags (never its value): which app credential it copies, and when it ends.
 */
export interface ClientSecretFacts {
  /** Its Key Vault secret's name (`vigil-client-secret-name`). */
  name: string;
  appId: string | null;
  keyId: string | null;
  /** Key Vault's `exp`, when set (rotation sets it to the credential's end). */
  endDateTime: string | null;
}

export function toClientSecretFacts(secret: Omit<StoredSecret, 'value'>): ClientSecretFacts {
  return {
    name: secret.name,
    appId: secret.tags[vaultCopyTags.appId]?.toLowerCase() ?? null,
    keyId: secret.tags[vaultCopyTags.keyId]?.toLowerCase() ?? null,
    endDateTime: secret.expiresOn ? secret.expiresOn.toUTC().toISO() : null,
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
  status: 'expiring' | 'expired' | 'stale' | 'hygiene';
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
 * When a connection lapses if nobody acts: its refresh token's lapse, or its client secret's end when
 * that comes first (a helpdesk whose secret expires stops, however fresh its refresh token).
 */
export function expectedLapseOf(
  refreshTokenLapse: string | undefined,
  clientSecretEnd: string | null | undefined,
): { at: string; cause: 'refreshToken' | 'clientSecret' } | undefined {
  if (clientSecretEnd && (!refreshTokenLapse || Date.parse(clientSecretEnd) < Date.parse(refreshTokenLapse)))
    return { at: clientSecretEnd, cause: 'clientSecret' };
  return refreshTokenLapse ? { at: refreshTokenLapse, cause: 'refreshToken' } : undefined;
}

/** AADSTS codes that mean the client secret itself is expired or not the app's: the scanner's business too. */
export const clientSecretLapseCodes: readonly string[] = ['AADSTS7000222', 'AADSTS7000215'];
