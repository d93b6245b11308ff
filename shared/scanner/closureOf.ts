import type { Closure } from './diffFindings.js';
import { findingKey, type Finding } from './Finding.js';
import type { DirectoryRead } from './readDirectory.js';
import type { VaultIndexEntry } from './ScanPorts.js';
import { vaultSecretObjectId } from './vaultSecretFacts.js';

/**
 * Why a finding that is no longer current closed, from what this scan read. A delta round judges the
 * objects it did not return again from their stored facts, so one of those can only have left the
 * ladder. A vault secret whose finding closed while it is still in the vault got a later expiry.
 */
export function closureOf(closed: Finding, read: DirectoryRead, vaultEntries: readonly VaultIndexEntry[]): Closure {
  if (closed.subjectKind === 'vaultSecret') {
    const kept = vaultEntries.some((e) => e.enabled && vaultSecretObjectId(e) === closed.objectId);
    return kept ? { kind: 'replaced', by: undefined } : { kind: 'removed', objectDeleted: true };
  }
  if (read.mode === 'delta' && !read.touched.has(closed.objectId)) return undefined;
  const newest = read.replacements.get(closed.objectId);
  const by = newest?.[closed.credentialType];
  if (by && by !== closed.keyId) return { kind: 'replaced', by };
  if (read.present.has(findingKey(closed))) return undefined;
  // A watched object that was read is still there; one that was not (deleted, or gone from a full list) is not.
  return { kind: 'removed', objectDeleted: newest === undefined };
}
