import { filteredRequests, type UsageReportSize } from './evidenceReads.js';

/**
 * Everything the choice of how to read usage rests on, at the moment a scan makes it: what is known of
 * the report's size, how far this scan has read the report and the directory, and how many apps ask.
 */
export interface UsageSituation {
  /**
   * The report's size: as this scan's reads found it, else as the last scan kept it; undefined when not
   * known; `unreadable` once Graph refused this scan's read of it whole (400: its page size), so only by
   * app is left. A refusal that stops the usage reads (no permission, no licence) never comes here: the
   * apps' usage is then unknown, with its reason.
   */
  report: UsageReportSize | 'unreadable' | undefined;
  /** Pages of the report this scan has read (0 when none: a known size is then the last scan's). */
  pagesRead: number;
  /**
   * The read the apps come from: a delta (the apps asked are all it asks), or a full read with the
   * applications it has read so far, `complete` once that is all of the tenant's.
   */
  read: { kind: 'delta' } | { kind: 'full'; applications: number; complete: boolean };
  /**
   * The tenant's applications as known before this read ended: the last full read's count, or a count asked
   * this scan; 0 when that count could not be had (only the apps seen so far then count).
   */
  tenantApplications: number | undefined;
  /** Apps whose findings ask for usage so far, each once (a full read's pages so far; a delta's request). */
  asking: number;
  /** Of those, apps already read by app this scan: their requests are spent, whichever way the rest goes. */
  readByApp: number;
}

/**
 * How to read usage now: `byApp` (15 apps a request); `countApplications` (the tenant's size decides, and a
 * full read on its first scan does not know it yet: one request, once); or `whole`, on down the report to at
 * most `untilPages` pages in all this scan (Infinity: to its end), the apps then still without an answer by app.
 * A report whose size is not known has its first page read (`untilPages: 1`), which tells its size: without a
 * next link it is the whole report.
 */
export type UsageRead = { kind: 'byApp' } | { kind: 'countApplications' } | { kind: 'whole'; untilPages: number };

/** Requests by app that go at once (readPages.ts `eachAtOnce`): a round of them costs one round trip. */
const byAppAtOnce = 4;

/**
 * Whether `pages` pages of the report are the cheaper way to answer what `requests` requests by app
 * would: fewer requests wins; on a tie, fewer round trips in a row, and the report's pages follow one
 * another by nextLink while requests by app go 4 at once, so a tie goes to the report only at one page
 * (one round trip either way, and the whole read learns the size afresh).
 */
export const reportIsCheaper = (pages: number, requests: number): boolean =>
  pages < requests || (pages === requests && pages <= Math.ceil(requests / byAppAtOnce));

/**
 * The apps a read will have asked about by its end: a delta's and a finished full read's are those asking;
 * a full read still going projects its pages' share onto the tenant's applications as last counted (the
 * share of apps with findings on the pages so far stands for the tenant's). Without a count, or before an
 * application page, only the apps seen so far are certain.
 */
function projectedAsking({ read, asking, tenantApplications }: UsageSituation): number {
  if (read.kind === 'delta' || read.complete || read.applications === 0 || tenantApplications === undefined) return asking;
  return Math.max(asking, Math.ceil((asking * Math.max(tenantApplications, read.applications)) / read.applications));
}

/**
 * The one choice of how a scan reads usage (issue 15), made again as the scan learns more: where the
 * report's size is known, the cheaper of its remaining pages and the remaining apps' requests by app
 * (`reportIsCheaper`). Where it is not, a full read reads the first page (it costs what one request by app
 * would, and is often the whole report); a delta reads by app while one request answers it.
 *
 * A report known only to be longer than N pages is read on only while that can still be cheaper: it is
 * read to at most one page fewer than the requests by app, so a report that ends there cost less than by
 * app would, and one that does not has cost less than twice the cheaper way; and only where the most that
 * try can save is at least half the pages it risks (a later scan, which reads the report from its first
 * page again, does not try again for a page or two more: it would risk them all to save one). A full read still going that
 * has no count of the tenant's applications to project its share onto, and whose apps so far do not already
 * make reading on cheaper, asks for the count, once (a first scan of a tenant with a long report).
 */
export function decideUsageRead(situation: UsageSituation): UsageRead {
  const { report, pagesRead, read } = situation;
  const byApp = filteredRequests(Math.max(0, projectedAsking(situation) - situation.readByApp));
  if (byApp === 0 || report === 'unreadable') return { kind: 'byApp' };
  if (!report) return read.kind === 'delta' && byApp <= 1 ? { kind: 'byApp' } : { kind: 'whole', untilPages: 1 };
  if (!report.more) return reportIsCheaper(report.pages - pagesRead, byApp) ? { kind: 'whole', untilPages: Infinity } : { kind: 'byApp' };
  // More than `report.pages` pages: at least one more than that, and as many as one fewer than by app may be
  // read. A try is made only where it can save at least half what it risks: a report the last scan found
  // longer is read again from its first page, so its pages known to exist are risked again, and saved nothing.
  const best = byApp - (report.pages + 1 - pagesRead);
  const risked = byApp - 1 - pagesRead;
  if (report.pages + 1 < byApp && 2 * best >= risked) return { kind: 'whole', untilPages: byApp - 1 };
  // A full read without a count knows only the least it will ask about: how many more, its share tells once counted.
  if (read.kind === 'full' && !read.complete && situation.tenantApplications === undefined) return { kind: 'countApplications' };
  return { kind: 'byApp' };
}
