import type { CredentialFacts } from '../scanner/Finding.js';
import type { VaultIndexEntry } from '../scanner/ScanPorts.js';
import type { Impact, ImpactConnection } from './Impact.js';

/**
 * The blast radius of an app's credential from the watched vaults' index: copies tagged with its app
 * and key id, and the token connections whose `vigil-client-secret-name` names such a copy. An untagged
 * secret that a connection of the same app names may hold this client secret or another of the app's:
 * its connections are listed as unconfirmed. Owners come from the directory.
 */
export function blastRadiusOf(
  facts: Pick<CredentialFacts, 'subjectKind' | 'appId' | 'keyId' | 'credentialType'>,
  entries: readonly VaultIndexEntry[],
  owners: string[] | null,
): Impact | null {
  if ((facts.subjectKind !== 'application' && facts.subjectKind !== 'servicePrincipal') || !facts.appId) return null;
  const appId = facts.appId.toLowerCase();
  const keyId = facts.keyId.toLowerCase();
  const copies = entries.filter((e) => e.enabled && e.copyOf?.appId === appId && e.copyOf.keyId === keyId);
  const connections: ImpactConnection[] = [];
  const seen = new Set<string>();
  const addUses = (entry: VaultIndexEntry, keyConfirmed: boolean) => {
    for (const use of entry.usedBy) {
      const id = `${entry.vaultUrl}|${use.name}`;
      if (seen.has(id) || use.clientId.toLowerCase() !== appId) continue;
      seen.add(id);
      connections.push({ name: use.name, vaultUrl: entry.vaultUrl, downstream: use.downstream, keyConfirmed });
    }
  };
  for (const copy of copies) addUses(copy, true);
  if (facts.credentialType === 'password')
    for (const e of entries) if (e.enabled && e.copyOf === null && e.usedBy.length > 0) addUses(e, false);
  return {
    connections,
    vaultCopies: copies.map((c) => ({ vaultUrl: c.vaultUrl, secretName: c.secretName })),
    owners,
  };
}

/** What in the watched vaults still holds one of an app's keys, for a person: "Key Vault secret X", "token connection Y (Cerb)". */
export function keyHoldersIn(entries: readonly VaultIndexEntry[], appId: string, keyId: string): string[] {
  const impact = blastRadiusOf({ subjectKind: 'application', appId, keyId, credentialType: 'password' }, entries, null);
  return [
    ...(impact?.vaultCopies ?? []).map((c) => `Key Vault secret ${c.secretName}`),
    ...(impact?.connections ?? [])
      .filter((c) => c.keyConfirmed)
      .map((c) => `token connection ${c.name}${c.downstream ? ` (${c.downstream})` : ''}`),
  ];
}
