import { describe, expect, it } from 'vitest';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { findingKey, type Finding } from '../../../shared/scanner/Finding.js';
import { streamFindings } from '../../../shared/scanner/recordScan.js';
import { FindingTally } from '../../../shared/scanner/tallyFindings.js';
import { NOW, facts, inDays, policy } from './scannerFixtures.js';

const finding = (days: number, keyId: string): Finding => evaluateCredential(facts({ endDateTime: inDays(days), keyId }), policy, NOW)!;
const map = (...findings: Finding[]) => new Map(findings.map((f) => [findingKey(f), f]));

describe("a daily full scan's findings, compared as they are judged", () => {
  it('keeps what the whole set taken at once stores and announces, and the same counts, counting a finding taken twice once', () => {
    const previous = map(finding(10, 'same'), finding(20, 'escalates'), finding(10, 'gone'));
    const current = [finding(10, 'same'), finding(5, 'escalates'), finding(-1, 'new-expired'), finding(45, 'new')];
    const streamed = streamFindings(previous);
    // Pages in another order, one finding taken again (a page read twice).
    for (const page of [[current[3]!, current[1]!], [current[0]!], [current[2]!, current[1]!]]) streamed.take(page);

    // The whole set at once, as a delta's findings are taken.
    const whole = streamFindings(previous).finish(map(...current), () => undefined).diff;
    const tally = new FindingTally(0);
    tally.add(current);
    const byKey = (findings: Finding[]) => findings.map(findingKey).sort();
    const { diff, counts, findings } = streamed.finish(new Map(), () => undefined);
    expect(byKey(diff.upserts)).toEqual(byKey(whole.upserts));
    expect(diff.notices.map((n) => [n.type, n.finding.keyId]).sort()).toEqual(whole.notices.map((n) => [n.type, n.finding.keyId]).sort());
    expect(counts).toEqual(tally.counts);
    expect(findings).toBe(4);
    expect(diff.removals.map((f) => f.keyId)).toEqual(['gone']);
  });
});
