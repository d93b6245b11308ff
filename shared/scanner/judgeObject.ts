import { judgeHygiene, type HygieneContext } from '../intelligence/judgeHygiene.js';
import { credentialFactsOf, type FactsContext } from './credentialFactsOf.js';
import type { DirectoryObject } from './DirectoryObject.js';
import { evaluateCredential } from './evaluateCredential.js';
import type { CredentialFacts, Finding } from './Finding.js';
import { hygieneFinding } from './hygieneFinding.js';
import type { Judge } from './readDirectory.js';
import { reachesLadderBy } from './upcomingCrossings.js';

export interface JudgedObject {
  facts: readonly CredentialFacts[];
  /** Credentials on the ladder, expired or stale, and those with hygiene items. */
  findings: readonly Finding[];
  /** Credentials that time alone brings onto the ladder before the next full read. */
  upcoming: readonly CredentialFacts[];
}

/**
 * What an object with no credential yields: one shared answer, as most service principals hold none. Frozen, so
 * a caller that ever writes to it throws instead of leaking findings into every such object.
 */
const NOTHING: JudgedObject = Object.freeze({ facts: Object.freeze([]), findings: Object.freeze([]), upcoming: Object.freeze([]) });

/**
 * Judges every credential of one object: its expiry, and the hygiene of its app. Lifetimes are judged
 * only on apps Vigil already has a reason to look at (a credential on or near the ladder, or a copy or
 * token connection in a watched vault), so a tenant full of long-lived secrets does not flood the scan.
 */
export function judgeObject(object: DirectoryObject, judge: Judge, context: FactsContext, hygiene: HygieneContext): JudgedObject {
  const facts = credentialFactsOf(object, context);
  // An object with no credential (most service principals) has nothing to judge: no expiry, no hygiene item.
  if (facts.length === 0) return NOTHING;
  // Loops over the facts, not map/filter/flatMap chains: this runs for every application of every page.
  const expiry = facts.map((f) => evaluateCredential(f, judge.policy, judge.now));
  const upcoming: CredentialFacts[] = [];
  let onLadder = false;
  facts.forEach((f, i) => {
    if (expiry[i]) onLadder = true;
    else if (reachesLadderBy(f, judge.policy, judge.upcomingUntilMs)) upcoming.push(f);
  });
  const watched = upcoming.length > 0 || onLadder || judge.keptInVault(object.appId);
  const items = judgeHygiene(
    { kind: object.kind, id: object.id, displayName: object.displayName, createdDateTime: object.createdDateTime ?? null },
    facts,
    hygiene,
    { watched, nowMs: judge.now.toMillis() },
  );
  const findings: Finding[] = [];
  facts.forEach((f, i) => {
    const finding = expiry[i];
    // Never an empty list: judgeHygiene keeps a key only with an item.
    const raised = items.get(f.keyId);
    // A finding is copied only to add hygiene items it has: most have none.
    if (finding) findings.push(raised ? { ...finding, hygiene: raised } : finding);
    else if (raised) findings.push(hygieneFinding(f, raised, judge.now));
  });
  return { facts, findings, upcoming: items.size === 0 ? upcoming : upcoming.filter((u) => !items.has(u.keyId)) };
}
