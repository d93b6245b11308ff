import { describe, expect, it } from 'vitest';
import { usageReadBySize } from '../../../shared/intelligence/evidenceReads.js';

describe("choosing how to read usage from the report's known size", () => {
  it('leaves the choice open when nothing is known: a full read then reads the first page to learn it', () => {
    expect(usageReadBySize(100, undefined)).toBeUndefined();
  });

  it('reads a report of known pages whole when that takes no more requests than 15 apps a request, and by app otherwise', () => {
    // A one-page report: whole, whatever the number of apps (1 request by app ties, and the whole read learns the size afresh).
    expect(usageReadBySize(1, { pages: 1, more: false })).toBe('whole');
    expect(usageReadBySize(100, { pages: 1, more: false })).toBe('whole');
    // 7 pages (about 7,000 rows): 100 apps take 7 requests by app (a tie, whole); 90 apps take 6.
    expect(usageReadBySize(100, { pages: 7, more: false })).toBe('whole');
    expect(usageReadBySize(90, { pages: 7, more: false })).toBe('byApp');
  });

  it('reads by app where a report of more than N pages cannot be cheaper, and leaves it open where it might be', () => {
    // More than 1 page: at least 2, so 30 apps (2 requests) go by app; 31 apps (3) might be cheaper whole.
    expect(usageReadBySize(30, { pages: 1, more: true })).toBe('byApp');
    expect(usageReadBySize(31, { pages: 1, more: true })).toBeUndefined();
    expect(usageReadBySize(15, { pages: 4, more: true })).toBe('byApp');
  });
});
