import type { CredentialFacts, VaultCopy } from './Finding.js';
import { vaultSecretLink } from './portalLinks.js';
import type { VaultIndexEntry } from './ScanPorts.js';

/** A vault secret's id as a finding's object: its URL without a version. */
export const vaultSecretObjectId = (e: Pick<VaultIndexEntry, 'vaultUrl' | 'secretName'>): string =>
  `${e.vaultUrl.replace(/\/+$/, '')}/secrets/${e.secretName}`;

/** Vault copies of Entra credentials, looked up by app id and key id. */
export function copyLookup(entries: readonly VaultIndexEntry[]): (appId: string, keyId: string) => VaultCopy | undefined {
  const copies = new Map<string, VaultCopy>();
  for (const e of entries)
    if (e.copyOf && e.enabled) copies.set(`${e.copyOf.appId}|${e.copyOf.keyId}`, { vaultUrl: e.vaultUrl, secretName: e.secretName });
  // Asked for every credential of every object: most tenants have no copy in a watched vault, and no key is made for them.
  if (copies.size === 0) return () => undefined;
  return (appId, keyId) => copies.get(`${appId.toLowerCase()}|${keyId.toLowerCase()}`);
}

/** Whether a watched vault holds a copy of one of an app's credentials, or a token connection signs in as the app. */
export function keptInVaultLookup(entries: readonly VaultIndexEntry[]): (appId: string) => boolean {
  const apps = new Set<string>();
  for (const e of entries) {
    if (!e.enabled) continue;
    if (e.copyOf) apps.add(e.copyOf.appId);
    for (const use of e.usedBy) apps.add(use.clientId);
  }
  if (apps.size === 0) return () => false;
  return (appId) => apps.has(appId.toLowerCase());
}

/**
 * Facts of the enabled vault secrets that carry an expiry (`exp`) and copy no Entra credential. A linked
 * copy is judged with the credential it copies, so one finding says both what expires and which copy is stale.
 * The vaults are Vigil's, so their portal links point at Vigil's home tenant and cloud.
 */
export function vaultSecretFacts(entries: readonly VaultIndexEntry[], vaultHome: { tenantId: string; portal: string }): CredentialFacts[] {
  return entries
    .filter((e) => e.enabled && e.expiresOn !== null && e.copyOf === null)
    .map((e) => ({
      tenantId: e.tenantId,
      subjectKind: 'vaultSecret' as const,
      objectId: vaultSecretObjectId(e),
      appId: null,
      subjectName: e.secretName,
      keyId: e.secretName,
      credentialType: 'vaultSecret' as const,
      credentialName: e.secretName,
      startDateTime: null,
      endDateTime: e.expiresOn!,
      outlivedBy: null,
      vaultCopy: null,
      portalUrl: vaultSecretLink(vaultHome.portal, vaultHome.tenantId, e.vaultUrl, e.secretName),
      federated: false,
    }));
}
