import type { Severity } from '../events/vigilEvent.js';
import type { Advice } from '../intelligence/Advice.js';
import type { CredentialUsage } from '../intelligence/CredentialUsage.js';
import type { HygieneItem } from '../intelligence/HygieneItem.js';
import type { Impact } from '../intelligence/Impact.js';

/** password = client secret; certificate = key credential; samlSigning = SAML token-signing certificate. */
export const credentialTypes = ['password', 'certificate', 'samlSigning', 'vaultSecret'] as const;
export type CredentialType = (typeof credentialTypes)[number];
export const subjectKinds = ['application', 'servicePrincipal', 'vaultSecret'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

/** Where a copy of a credential is kept, found through the vault secret's tags. */
export interface VaultCopy {
  vaultUrl: string;
  secretName: string;
}

/** What is known about one credential: enough to judge it again later, as time passes, without Graph. */
export interface CredentialFacts {
  tenantId: string;
  subjectKind: SubjectKind;
  objectId: string;
  appId: string | null;
  subjectName: string;
  keyId: string;
  credentialType: CredentialType;
  credentialName: string | null;
  /** When the credential became valid (null when Graph did not say): its lifetime and age are judged from it. */
  startDateTime: string | null;
  endDateTime: string;
  /** The credential of the same type and object that ends last, when it ends after this one. */
  outlivedBy: { keyId: string; endDateTime: string } | null;
  vaultCopy: VaultCopy | null;
  /** The credential's Certificates & secrets page in its cloud's portal. */
  portalUrl: string;
  /** Its application has a federated identity credential, so it may need no secret at all. */
  federated: boolean;
}

/** `hygiene`: not on the expiry ladder, but with something an auditor would raise (`hygiene` items). */
export const findingStatuses = ['expiring', 'expired', 'stale', 'hygiene'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

/** A credential that needs attention, as judged at one moment. */
export interface Finding extends CredentialFacts {
  status: FindingStatus;
  /** Whole days to the end (rounded up) while valid; whole days since (negative, at most -1) once expired. Never 0. */
  daysLeft: number;
  /** The ladder step crossed, in days; 0 once expired. */
  threshold: number;
  severity: Severity;
  /**
   * A newer credential took over (and no vault copy still holds this one): for a valid credential, a newer
   * valid one outlives it; for an expired one, a newer one ended after it.
   */
  overlap: boolean;
  /** The vault copy holds this credential although it expired or a newer one exists. */
  vaultCopyStale: boolean;
  /** Evidence of use from Entra's usage report; null where it does not apply (SAML signing, vault secrets). */
  usage: CredentialUsage | null;
  /** The one recommended path (client secrets and certificates of apps). */
  advice: Advice | null;
  /** What breaks with it (apps' credentials). */
  impact: Impact | null;
  /** What an auditor would raise about it, each with its reason; never "needs action" on its own. */
  hygiene: HygieneItem[];
}

/** Findings are kept per tenant by object and key id. */
export function findingKey(f: Pick<CredentialFacts, 'objectId' | 'keyId'>): string {
  return `${f.objectId}|${f.keyId}`;
}
