import { severities, type Severity } from '../events/vigilEvent.js';
import { findingKey, type Finding, type FindingStatus } from './Finding.js';

/** What the status page shows of a tenant without reading its findings: counts, and end dates per day. */
export interface FindingCounts {
  bySeverity: Record<Severity, number>;
  /** Credentials still valid, by the UTC day they end (`yyyy-mm-dd`): the status page's timeline. */
  endingByDay: Record<string, number>;
}

/** Findings that need action now, whatever else a first scan summarises: the ladder's last two weeks, or a fresh lapse. */
export const needsActionNow = (f: Finding): boolean => f.severity === 'critical' || f.severity === 'high';

/** Most severe first, then soonest: the order of every findings list. */
export const byUrgency = (a: Finding, b: Finding): number =>
  severities.indexOf(b.severity) - severities.indexOf(a.severity) || Date.parse(a.endDateTime) - Date.parse(b.endDateTime);

const MOST_URGENT = 10;

/** No findings counted yet. */
export const noCounts = (): FindingCounts => ({ bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 }, endingByDay: {} });

/** One more finding in the counts. */
export function countFinding(counts: FindingCounts, f: Finding): void {
  counts.bySeverity[f.severity] += 1;
  if (f.status === 'expiring') {
    const day = utcDayOf(f.endDateTime);
    counts.endingByDay[day] = (counts.endingByDay[day] ?? 0) + 1;
  }
}

const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T[^+-]*Z$/;

/** An ISO instant's UTC day (`yyyy-mm-dd`): read off an instant written in UTC (Graph's), worked out for any other. */
function utcDayOf(instant: string): string {
  return UTC_INSTANT.test(instant) ? instant.slice(0, 10) : new Date(Date.parse(instant)).toISOString().slice(0, 10);
}

/**
 * Counts findings as a scan judges them, page by page, without keeping them: what a first scan needs to
 * announce (every finding that needs action now; the others one by one only while there are at most
 * `itemLimit` of them, else as one summary with the most urgent few), and the counts stored with the scan.
 * A finding seen twice (a read started again) counts once.
 */
export class FindingTally {
  readonly keys = new Set<string>();
  readonly counts: FindingCounts = noCounts();
  /** Of the findings that can wait: how many, by severity and status. */
  readonly later = {
    count: 0,
    bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 } as Record<Severity, number>,
    byStatus: { expiring: 0, expired: 0, stale: 0 } as Record<FindingStatus, number>,
  };
  readonly actNow: Finding[] = [];
  private laterItems: Finding[] | undefined = [];
  readonly mostUrgentLater: Finding[] = [];

  constructor(private readonly itemLimit: number) {}

  add(findings: Iterable<Finding>): void {
    for (const f of findings) {
      const key = findingKey(f);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      countFinding(this.counts, f);
      if (needsActionNow(f)) this.actNow.push(f);
      else this.addLater(f);
    }
  }

  /** Whether the findings that can wait are announced one by one (few) or summarised (many). */
  get summarises(): boolean {
    return this.laterItems === undefined;
  }

  /** What to announce one by one: every finding that needs action now, and the others while few. */
  get announced(): Finding[] {
    return [...this.actNow, ...(this.laterItems ?? [])];
  }

  private addLater(f: Finding): void {
    // Hygiene (what an auditor would raise) is announced one by one while few, like the rest, but it is no
    // expiry: a summary leaves it to the status page's "To tidy up" and the findings API.
    if (f.status !== 'hygiene') {
      this.later.count += 1;
      this.later.bySeverity[f.severity] += 1;
      this.later.byStatus[f.status] += 1;
      this.mostUrgentLater.push(f);
      this.mostUrgentLater.sort(byUrgency);
      if (this.mostUrgentLater.length > MOST_URGENT) this.mostUrgentLater.pop();
    }
    if (this.laterItems) this.laterItems.push(f);
    if (this.laterItems && this.laterItems.length > this.itemLimit) this.laterItems = undefined;
  }
}
