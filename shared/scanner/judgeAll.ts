import { derivedChecks } from '../intelligence/HygieneItem.js';
import { evaluateCredential } from './evaluateCredential.js';
import { findingKey, type CredentialFacts, type Finding } from './Finding.js';
import { hygieneFinding } from './hygieneFinding.js';
import type { DirectoryRead, Judge } from './readDirectory.js';
import type { VaultIndexEntry } from './ScanPorts.js';
import { vaultSecretFacts } from './vaultSecretFacts.js';

/**
 * The findings as of now: those of the objects read; on a delta round, the old findings and upcoming
 * crossings of objects it did not return (judged again, since days pass and vault copies change: this
 * is how a credential reaches the ladder by time alone, keeping the hygiene judged when it was read);
 * and the vault's own expiring secrets.
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
      const hygiene = (before.findings.get(key)?.hygiene ?? []).filter((h) => !derivedChecks.includes(h.check));
      if (again) current.set(key, { ...again, hygiene });
      else if (hygiene.length > 0) current.set(key, hygieneFinding(facts, hygiene, judge.now));
    }
  }
  for (const facts of vaultSecretFacts(vaultEntries, vaultHome)) {
    const finding = evaluateCredential(facts, judge.policy, judge.now);
    if (finding) current.set(findingKey(finding), finding);
  }
  return current;
}

function toFacts(f: Finding): CredentialFacts {
  const { status: _s, daysLeft: _d, threshold: _t, severity: _v, overlap: _o, vaultCopyStale: _c, ...rest } = f;
  const { usage: _u, advice: _a, impact: _i, hygiene: _h, ...facts } = rest;
  return facts;
}
