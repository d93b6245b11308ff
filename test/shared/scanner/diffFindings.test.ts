import { describe, expect, it } from 'vitest';
import { withEvidence } from '../../../shared/intelligence/enrichFindings.js';
import { asOf } from '../../../shared/scanner/asOf.js';
import type { Closure, FindingsDiff } from '../../../shared/scanner/diffFindings.js';
import { evaluateCredential } from '../../../shared/scanner/evaluateCredential.js';
import { findingKey, type Finding } from '../../../shared/scanner/Finding.js';
import { streamFindings } from '../../../shared/scanner/recordScan.js';
import { NOW, facts, inDays, policy } from './scannerFixtures.js';

const finding = (days: number, extra: Parameters<typeof facts>[0] = {}, at = NOW): Finding =>
  evaluateCredential(facts({ endDateTime: inDays(days), ...extra }), policy, at)!;
const map = (...findings: Finding[]) => new Map(findings.map((f) => [findingKey(f), f]));
const none = () => undefined;
/** The last good findings against the current ones, as a scan compares them (all current ones taken at its end). */
const diffFindings = (previous: ReadonlyMap<string, Finding>, current: ReadonlyMap<string, Finding>, closureOf: (f: Finding) => Closure) =>
  streamFindings(previous).finish(current, closureOf).diff;
const types = (diff: FindingsDiff) => diff.notices.map((n) => [n.type, n.finding.keyId, n.replacedBy ?? null]);
const newer = { keyId: 'key-new', endDateTime: inDays(200) };

describe('comparing findings with the last good ones (streamFindings)', () => {
  it('announces a new finding once and repeats nothing unchanged', () => {
    const first = diffFindings(map(), map(finding(10)), none);
    expect(types(first)).toEqual([['credential.expiring', 'key-1', null]]);
    expect(first.upserts).toHaveLength(1);
    const second = diffFindings(map(finding(10)), map(finding(10)), none);
    expect(second).toEqual({ notices: [], upserts: [], removals: [] });
  });

  it('announces a lower threshold and expiry, and stores a changed days-left without a notice', () => {
    expect(types(diffFindings(map(finding(10)), map(finding(9)), none))).toEqual([]);
    expect(diffFindings(map(finding(10)), map(finding(9)), none).upserts).toHaveLength(1);
    expect(types(diffFindings(map(finding(10)), map(finding(6)), none))).toEqual([['credential.expiring', 'key-1', null]]);
    expect(types(diffFindings(map(finding(1)), map(finding(-1)), none))).toEqual([['credential.expired', 'key-1', null]]);
  });

  it('closes a finding as rotated when a newer credential appears, then stays quiet until stale', () => {
    const rotated = diffFindings(map(finding(10)), map(finding(10, { outlivedBy: newer })), none);
    expect(types(rotated)).toEqual([['credential.rotated', 'key-1', 'key-new']]);
    expect(types(diffFindings(map(finding(10, { outlivedBy: newer })), map(finding(-3, { outlivedBy: newer })), none))).toEqual([]);
    expect(types(diffFindings(map(finding(-30, { outlivedBy: newer })), map(finding(-31, { outlivedBy: newer })), none))).toEqual([
      ['credential.stale', 'key-1', null],
    ]);
    expect(types(diffFindings(map(finding(-31, { outlivedBy: newer })), map(finding(-40, { outlivedBy: newer })), none))).toEqual([]);
  });

  it('never reports a stale credential again as a fresh lapse when the newer one that replaced it lapses', () => {
    const replacement = { keyId: 'key-new', endDateTime: inDays(1) };
    const staleWhileCovered = finding(-40, { outlivedBy: replacement });
    const later = NOW.plus({ days: 2 });
    const old = finding(-40, { outlivedBy: replacement }, later);
    const lapsed = evaluateCredential(facts({ keyId: 'key-new', endDateTime: inDays(1) }), policy, later)!;

    const diff = diffFindings(map(staleWhileCovered), map(old, lapsed), none);

    expect(types(diff)).toEqual([['credential.expired', 'key-new', null]]);
    expect(diff.notices[0]!.finding).toMatchObject({ severity: 'critical', overlap: false });
  });

  it('reports a credential first seen long expired beside a newer one as stale, once', () => {
    expect(types(diffFindings(map(), map(finding(-90, { outlivedBy: newer })), none))).toEqual([['credential.stale', 'key-1', null]]);
  });

  it('escalates again when the newer credential goes away', () => {
    expect(types(diffFindings(map(finding(10, { outlivedBy: newer })), map(finding(10)), none))).toEqual([
      ['credential.expiring', 'key-1', null],
    ]);
  });

  it('stores a finding again when its judgement changes, not for another day closer to its end', () => {
    const tomorrow = evaluateCredential(facts({ endDateTime: inDays(10) }), policy, NOW.plus({ days: 1 }))!;
    expect(tomorrow.daysLeft).toBe(9);
    expect(diffFindings(map(finding(10)), map(tomorrow), none)).toEqual({ notices: [], upserts: [], removals: [] });
    expect(diffFindings(map(finding(10)), map({ ...tomorrow, credentialName: 'renamed' }), none).upserts).toHaveLength(1);
  });

  it("stores an unused credential's finding again when its judgement changes, not for another day without a sign-in", () => {
    const unusedAt = (at: typeof NOW, lastSignIn: string | null = null) =>
      withEvidence(
        finding(-45, {}, at),
        undefined,
        {
          usage: { kind: 'read', byKeyId: new Map(lastSignIn ? [['key-1', { keyId: 'key-1', lastSignIn, resourceId: null }]] : []) },
          owners: { read: true, addresses: ['owner@contoso.com'] },
        },
        { vaultEntries: [], unusedAfterDays: policy.unusedAfterDays, nowMs: at.toMillis() },
      );
    const today = unusedAt(NOW);
    const tomorrow = unusedAt(NOW.plus({ days: 1 }));
    expect(today.usage).toEqual({ kind: 'unused', lastSignIn: null, unusedDays: 170 });
    expect(tomorrow.usage).toMatchObject({ unusedDays: 171 });
    expect(diffFindings(map(today), map(tomorrow), none)).toEqual({ notices: [], upserts: [], removals: [] });
    // Read back a day later, the stored finding says what a scan that day would have said.
    expect(asOf(today, NOW.plus({ days: 1 }))).toEqual(tomorrow);
    // A sign-in found later is a change of judgement, and is stored.
    expect(diffFindings(map(today), map(unusedAt(NOW.plus({ days: 1 }), inDays(-40))), none).upserts).toHaveLength(1);
  });

  it('closes a removed credential as rotated only when a newer one of its object took over', () => {
    const removed = diffFindings(map(finding(10)), map(), (closed) =>
      closed.objectId === 'obj-1' && closed.credentialType === 'password' ? { kind: 'replaced', by: 'key-new' } : undefined,
    );
    expect(types(removed)).toEqual([['credential.rotated', 'key-1', 'key-new']]);
    expect(removed.removals.map((f) => f.keyId)).toEqual(['key-1']);
    expect(types(diffFindings(map(finding(10)), map(), none))).toEqual([]);
    expect(types(diffFindings(map(finding(-40, { outlivedBy: newer })), map(), () => ({ kind: 'replaced', by: 'key-new' })))).toEqual([]);
  });

  it('closes a finding a person was asked to act on as removed when its credential or object is gone', () => {
    const gone = { kind: 'removed', objectDeleted: false } as const;
    const deleted = diffFindings(map(finding(-3)), map(), () => ({ kind: 'removed', objectDeleted: true }));
    expect(deleted.notices.map((n) => [n.type, n.finding.keyId, n.objectDeleted])).toEqual([['credential.removed', 'key-1', true]]);
    expect(types(diffFindings(map(finding(10)), map(), () => gone))).toEqual([['credential.removed', 'key-1', null]]);
    // A stale leftover asked to be removed: its removal closes it too.
    expect(types(diffFindings(map(finding(-40, { outlivedBy: newer })), map(), () => gone))).toEqual([
      ['credential.removed', 'key-1', null],
    ]);
    // A covered one was only mentioned quietly: nothing to close.
    expect(types(diffFindings(map(finding(10, { outlivedBy: newer })), map(), () => gone))).toEqual([]);
  });

  it('gives, a finding at a time in any order of pages, the diff of the whole set', () => {
    // Every kind of change at once: new, unchanged, escalated, covered, stale, rotated away and removed.
    const before = [
      finding(10, { keyId: 'same' }),
      finding(20, { keyId: 'escalates' }),
      finding(10, { keyId: 'covered' }),
      finding(-31, { keyId: 'stale', outlivedBy: newer }),
      finding(10, { keyId: 'rotated-away' }),
      finding(-3, { keyId: 'removed' }),
      finding(10, { keyId: 'left-ladder' }),
    ];
    const after = [
      finding(10, { keyId: 'same' }),
      finding(5, { keyId: 'escalates' }),
      finding(10, { keyId: 'covered', outlivedBy: newer }),
      finding(-40, { keyId: 'stale', outlivedBy: newer }),
      finding(2, { keyId: 'new' }),
      finding(-1, { keyId: 'new-expired', objectId: 'obj-2' }),
    ];
    const closureOf = (closed: Finding): Closure =>
      closed.keyId === 'rotated-away'
        ? { kind: 'replaced', by: 'key-new' }
        : closed.keyId === 'removed'
          ? { kind: 'removed', objectDeleted: false }
          : undefined;
    const whole = diffFindings(map(...before), map(...after), closureOf);

    const streamed = streamFindings(map(...before));
    for (const page of [[after[4]!, after[1]!], [after[5]!], [after[0]!, after[3]!, after[2]!, after[1]!]]) streamed.take(page);
    const paged = streamed.finish(new Map(), closureOf);

    const sorted = <T>(items: T[], by: (item: T) => string) => [...items].sort((a, b) => by(a).localeCompare(by(b)));
    const noticeKey = (n: (typeof whole.notices)[number]) => `${n.type}|${n.finding.keyId}`;
    expect(sorted(paged.diff.notices, noticeKey)).toEqual(sorted(whole.notices, noticeKey));
    expect(sorted(paged.diff.upserts, findingKey)).toEqual(sorted(whole.upserts, findingKey));
    expect(paged.diff.removals).toEqual(whole.removals);
    expect(paged.findings).toBe(after.length);
    expect(types(whole).length).toBeGreaterThanOrEqual(6);
    expect(whole.removals.map((f) => f.keyId)).toEqual(['rotated-away', 'removed', 'left-ladder']);
    expect(paged.current.has(findingKey(after[5]!))).toBe(true);
  });
});
