import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from '../../../shared/helpers/canonicalJson.js';

/** A small seeded generator (mulberry32): the same values on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON-like value as findings hold them: strings, numbers, booleans, null, undefined fields, arrays, objects. */
function valueOf(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 5 : 7));
  const leaves = [
    () => ['a', 'b', ''][Math.floor(next() * 3)],
    () => Math.floor(next() * 3),
    () => next() < 0.5,
    () => null,
    () => undefined,
  ];
  if (pick < leaves.length) return leaves[pick]!();
  if (pick === 5) return Array.from({ length: Math.floor(next() * 3) }, () => valueOf(next, depth + 1));
  const keys = ['x', 'y', 'z'].filter(() => next() < 0.6);
  return Object.fromEntries(keys.map((k) => [k, valueOf(next, depth + 1)]));
}

/** The same value with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

describe('sameJson', () => {
  it('says what comparing canonicalJson says, for values alike and unlike', () => {
    const next = random(15);
    let same = 0;
    for (let i = 0; i < 5_000; i += 1) {
      const a = valueOf(next, 0);
      const b = next() < 0.5 ? reordered(a) : valueOf(next, 0);
      const expected = canonicalJson(a) === canonicalJson(b);
      if (expected) same += 1;
      expect(sameJson(a, b), `${canonicalJson(a)} against ${canonicalJson(b)}`).toBe(expected);
    }
    // Both answers were asked for often enough to mean something.
    expect(same).toBeGreaterThan(1_000);
    expect(same).toBeLessThan(4_000);
  });

  it('takes an undefined field for an absent one, and key order for nothing', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: { c: [1, { d: 'x' }] } }, { b: { c: [1, { d: 'x' }] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ toString: 'x' }, {})).toBe(false);
    expect(sameJson({}, { toString: 'x' })).toBe(false);
  });
});
