import { evaluateCredential } from './evaluateCredential.js';
import { findingKey, type CredentialFacts, type Finding } from './Finding.js';
import type { DirectoryRead, Judge } from './readDirectory.js';
import type { VaultIndexEntry } from './ScanPorts.js';
import { vaultSecretFacts } from './vaultSecretFacts.js';

/**
 * The findings as of now: those of the objects read; on a delta round, the old findings and upcoming
 * crossings of objects it did not return (judged again, since days pass and vault copies change: this
 * is how a credential reaches the ladder by time alone); and the vault's own expiring secrets.
 */
export function judgeAll(
  read: DirectoryRead,
  before: { findings: ReadonlyMap<string, Finding>; upcoming: readonly CredentialFacts[] },
  vaultEntries: readonly VaultIndexEntry[],
  vaultHome: { tenantId: string; portal: string },
  judge: Judge,
): Map<string, Finding> {
  const current = new Map(read.findings);
  if (read.mode === 'delta') {
    const untouched = [...[...before.findings.values()].map(toFacts), ...before.upcoming].filter(
      (f) => f.subjectKind !== 'vaultSecret' && !read.touched.has(f.objectId),
    );
    for (const facts of untouched) {
      const key = findingKey(facts);
      if (current.has(key)) continue;
      const again = evaluateCredential(
        { ...facts, vaultCopy: (facts.appId && judge.context.copyOf(facts.appId, facts.keyId)) || null },
        judge.policy,
        judge.now,
      );
      if (again) current.set(key, again);
    }
  }
  for (const facts of vaultSecretFacts(vaultEntries, vaultHome)) {
    const finding = evaluateCredential(facts, judge.policy, judge.now);
    if (finding) current.set(findingKey(finding), finding);
  }
  return current;
}

function toFacts(f: Finding): CredentialFacts {
  const { status: _s, daysLeft: _d, threshold: _t, severity: _v, overlap: _o, vaultCopyStale: _c, ...facts } = f;
  return facts;
}
