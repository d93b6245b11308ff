import { describe, expect, it } from 'vitest';
import { decideUsageRead, reportIsCheaper, type UsageRead, type UsageSituation } from '../../../shared/intelligence/usageDecision.js';

/** A full read still going, `applications` read so far. */
const going = (applications: number) => ({ kind: 'full', applications, complete: false }) as const;
/** A full read done: every application of the tenant read. */
const done = (applications: number) => ({ kind: 'full', applications, complete: true }) as const;
const delta = { kind: 'delta' } as const;
const byApp: UsageRead = { kind: 'byApp' };
/** The report's first page, which tells its size. */
const firstPage: UsageRead = { kind: 'whole', untilPages: 1 };
const count: UsageRead = { kind: 'countApplications' };
const whole = (untilPages = Infinity): UsageRead => ({ kind: 'whole', untilPages });

const situation = (s: Partial<UsageSituation>): UsageSituation => ({
  report: undefined,
  pagesRead: 0,
  read: going(999),
  tenantApplications: 10_000,
  asking: 0,
  readByApp: 0,
  ...s,
});

describe('the one decision of how a scan reads usage', () => {
  // Each row: a case a scan meets, what is known then, and the way that takes the fewest requests.
  const table: Array<[string, Partial<UsageSituation>, UsageRead]> = [
    // Nothing asks: nothing to read.
    ['no app asks', { asking: 0 }, byApp],
    ['every app asking was read by app already', { read: done(10_000), asking: 15, readByApp: 15 }, byApp],

    // The report's size not known (a first scan, or one whose last read of the report was refused).
    ['unknown, a full read: the first page, which is often the whole report', { asking: 1 }, firstPage],
    ['unknown, a full read done with many apps asking: still the first page', { read: done(10_000), asking: 500 }, firstPage],
    ['unknown, a delta that one request by app answers', { read: delta, asking: 15 }, byApp],
    ['unknown, a delta of 16 apps: the first page may answer it in 1 where by app takes 2', { read: delta, asking: 16 }, firstPage],

    // Known small: one page answers every app in one request.
    ['one page, one app', { report: { pages: 1, more: false }, asking: 1 }, whole()],
    ['one page, every app', { report: { pages: 1, more: false }, read: done(10_000), asking: 10_000 }, whole()],
    ['one page, a delta', { report: { pages: 1, more: false }, read: delta, asking: 3 }, whole()],

    // Known large, exactly: the cheaper of its pages and 15 apps a request; a tie of more than one goes by app (4 at once).
    ['4 pages against 7 requests (100 apps, all read)', { report: { pages: 4, more: false }, read: done(10_000), asking: 100 }, whole()],
    ['4 pages against 3 requests (45 apps)', { report: { pages: 4, more: false }, read: done(10_000), asking: 45 }, byApp],
    [
      '4 pages against 4 requests: a tie, fewer round trips by app',
      { report: { pages: 4, more: false }, read: done(10_000), asking: 60 },
      byApp,
    ],
    ['4 pages against 5 requests', { report: { pages: 4, more: false }, read: done(10_000), asking: 61 }, whole()],
    ['a delta of 10 apps in a 4-page report', { report: { pages: 4, more: false }, read: delta, asking: 10 }, byApp],

    // A full read still going projects its share onto the last count: 9 apps asking in the first 999 of 10,000 is about 91 (7 requests).
    ['4 pages, 9 apps in the first 999 of 10,000', { report: { pages: 4, more: false }, asking: 9 }, whole()],
    ['4 pages, 9 apps in the first 999 of 1,000', { report: { pages: 4, more: false }, asking: 9, tenantApplications: 1_000 }, byApp],
    // Grown since the last count: the applications read so far are more than it, and stand for the tenant.
    [
      'grown: 100 apps asking in 20,000 read of a tenant counted at 10,000',
      { report: { pages: 8, more: false }, read: going(20_000), asking: 100 },
      byApp,
    ],
    ['grown: 130 apps asking in 20,000 read', { report: { pages: 8, more: false }, read: going(20_000), asking: 130 }, whole()],
    // Shrunk since: until the read is done it cannot tell shrunk from not yet read, and projects onto the old count.
    ['shrunk: 9 apps in 999 of a tenant counted at 10,000 that now holds 2,000', { report: { pages: 4, more: false }, asking: 9 }, whole()],
    ['shrunk, the read done: 18 apps of 2,000 go by app', { report: { pages: 4, more: false }, read: done(2_000), asking: 18 }, byApp],

    // What this scan has read: pages read are spent, and so are the apps read by app.
    ['4 pages, 2 read, 3 requests left', { report: { pages: 4, more: false }, pagesRead: 2, read: done(10_000), asking: 45 }, whole()],
    [
      '4 pages, 60 of 100 apps read by app: 3 requests left',
      { report: { pages: 4, more: false }, read: done(10_000), asking: 100, readByApp: 60 },
      byApp,
    ],

    // Known only to be longer than N pages (a first page with a nextLink, or a read stopped there).
    [
      'more than 1 page, a first scan not knowing its size: count once',
      { report: { pages: 1, more: true }, pagesRead: 1, tenantApplications: undefined, asking: 9 },
      count,
    ],
    [
      'more than 1 page, a first scan whose pages so far ask 60 apps: read on to 3 without a count',
      { report: { pages: 1, more: true }, pagesRead: 1, tenantApplications: undefined, asking: 60 },
      whole(3),
    ],
    [
      'more than 1 page, counted 10,000: read on to at most 6 pages (7 by app)',
      { report: { pages: 1, more: true }, pagesRead: 1, asking: 9 },
      whole(6),
    ],
    [
      'more than 1 page, counted 1,000: by app (1 request)',
      { report: { pages: 1, more: true }, pagesRead: 1, asking: 9, tenantApplications: 1_000 },
      byApp,
    ],
    [
      'more than 1 page, the count failed (0): the apps seen so far',
      { report: { pages: 1, more: true }, pagesRead: 1, asking: 9, tenantApplications: 0 },
      byApp,
    ],
    [
      'more than 3 pages, the next full read recalls it: 7 requests may beat 4 or more pages',
      { report: { pages: 3, more: true }, asking: 9 },
      whole(6),
    ],
    [
      'more than 3 pages against 5 requests: a try would risk 4 pages to save at most 1',
      { report: { pages: 3, more: true }, read: done(10_000), asking: 61 },
      byApp,
    ],
    [
      'more than 5 pages, as the first scan left it, against 7 requests: the next scan does not read 6 pages again to save 1',
      { report: { pages: 5, more: true }, asking: 9 },
      byApp,
    ],
    [
      'more than 5 pages read this scan against 8 requests: 2 more may save 2',
      { report: { pages: 5, more: true }, pagesRead: 5, read: done(10_000), asking: 106 },
      whole(7),
    ],
    [
      'more than 3 pages against 4 requests: at least 4 pages cannot be cheaper',
      { report: { pages: 3, more: true }, read: done(10_000), asking: 60 },
      byApp,
    ],
    [
      'more than 6 pages read this scan against 7 requests: stop, by app',
      { report: { pages: 6, more: true }, pagesRead: 6, read: done(10_000), asking: 100 },
      byApp,
    ],
    ['more than 1 page, a delta of 20 apps (2 requests)', { report: { pages: 1, more: true }, read: delta, asking: 20 }, byApp],
    [
      'more than 1 page, a delta of 100 apps: no count asked, read on to 6',
      { report: { pages: 1, more: true }, read: delta, asking: 100 },
      whole(6),
    ],
    [
      'more than 1 page, a full read done: its count is the tenant’s',
      { report: { pages: 1, more: true }, pagesRead: 1, read: done(10_000), tenantApplications: undefined, asking: 100 },
      whole(6),
    ],
  ];

  it.each(table)('%s', (_case, s, expected) => {
    expect(decideUsageRead(situation(s))).toEqual(expected);
  });

  it('a first page Graph refused to read whole (its page size) leaves only by app, however many apps ask', () => {
    for (const read of [going(999), done(10_000), delta])
      expect(decideUsageRead(situation({ report: 'unreadable', pagesRead: 0, read, asking: 5_000 }))).toEqual(byApp);
  });

  it('a first page refused for want of permission or licence leaves nothing known: the next scan reads the first page again', () => {
    // The adapter keeps no size from such a read (the apps' usage is unknown, with its reason), so what is known stays undefined.
    expect(decideUsageRead(situation({ report: undefined, pagesRead: 0, asking: 30 }))).toEqual(firstPage);
  });

  it('never reads more of a report known to be longer than asking by app would take', () => {
    for (let pages = 1; pages <= 12; pages += 1)
      for (let asking = 1; asking <= 200; asking += 1) {
        const read = decideUsageRead(situation({ report: { pages, more: true }, read: done(10_000), asking }));
        const requests = Math.ceil(asking / 15);
        if (read.kind === 'whole') expect(read.untilPages).toBeLessThan(requests);
        if (read.kind === 'whole') expect(read.untilPages).toBeGreaterThan(pages);
      }
  });
});

describe('which way is cheaper', () => {
  it('counts requests, and on a tie the round trips in a row: the report’s pages one after another, requests by app 4 at once', () => {
    expect(reportIsCheaper(3, 4)).toBe(true);
    expect(reportIsCheaper(4, 3)).toBe(false);
    expect(reportIsCheaper(1, 1)).toBe(true);
    expect(reportIsCheaper(2, 2)).toBe(false);
    expect(reportIsCheaper(7, 7)).toBe(false);
  });
});
