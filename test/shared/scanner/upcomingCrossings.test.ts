import { describe, expect, it } from 'vitest';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { findingKey, type CredentialFacts } from '../../../shared/scanner/Finding.js';
import { diffUpcoming, nextUpcoming, reachesLadderBy, upcomingUntilMs } from '../../../shared/scanner/upcomingCrossings.js';
import { NOW, facts, inDays, policy } from './scannerFixtures.js';

const byKey = (...list: CredentialFacts[]) => new Map(list.map((f) => [findingKey(f), f]));

describe('upcoming crossings', () => {
  it('keeps a credential above the ladder that reaches its top rung before the next full read and one more', () => {
    const until = upcomingUntilMs(policy, NOW.toMillis());
    expect(until - NOW.toMillis()).toBe(48 * 3_600_000);
    expect(reachesLadderBy(facts({ endDateTime: inDays(60.5) }), policy, until)).toBe(true);
    expect(reachesLadderBy(facts({ endDateTime: inDays(61.9) }), policy, until)).toBe(true);
    expect(reachesLadderBy(facts({ endDateTime: inDays(62.1) }), policy, until)).toBe(false);
    // Once there, evaluateCredential takes over: 13 hours on, 60.5 days is a finding on the 60-day rung.
    expect(evaluateCredential(facts({ endDateTime: inDays(60.5) }), policy, NOW.plus({ hours: 13 }))).toMatchObject({ threshold: 60 });
  });

  it('after a full read, is what that read found; after a delta read, the earlier ones of untouched objects too', () => {
    const soon = facts({ objectId: 'a', endDateTime: inDays(61) });
    const changed = facts({ objectId: 'b', endDateTime: inDays(61) });
    const found = facts({ objectId: 'c', endDateTime: inDays(61.5) });
    const nowAFinding = facts({ objectId: 'd', endDateTime: inDays(60.9) });
    const current = new Map([[findingKey(nowAFinding), evaluateCredential(nowAFinding, policy, NOW.plus({ days: 1 }))!]]);
    const previous = [soon, changed, nowAFinding];

    expect([...nextUpcoming({ mode: 'full', upcoming: byKey(found), touched: new Set() }, previous, current).keys()]).toEqual([
      findingKey(found),
    ]);
    const delta = nextUpcoming({ mode: 'delta', upcoming: byKey(found), touched: new Set(['b']) }, previous, current);
    expect([...delta.values()].map((f) => f.objectId).sort()).toEqual(['a', 'c']);
  });

  it('writes only entries that are new or changed, and removes those that left', () => {
    const kept = facts({ objectId: 'a' });
    const moved = facts({ objectId: 'b', endDateTime: inDays(61) });
    const gone = facts({ objectId: 'c' });
    const added = facts({ objectId: 'd' });
    const diff = diffUpcoming([kept, moved, gone], byKey(kept, { ...moved, endDateTime: inDays(61.5) }, added));
    expect(diff.upserts.map((f) => f.objectId)).toEqual(['b', 'd']);
    expect(diff.removals.map((f) => f.objectId)).toEqual(['c']);
  });
});
