/** The expiry scanner's settings, as the core reads them. */
export interface ScanPolicy {
  /** The ladder, largest first (default 60, 30, 14, 7, 3, 1). */
  thresholdsDays: readonly number[];
  /** Days after expiry when a replaced credential is reported as stale. */
  staleAfterDays: number;
  fullScanEveryHours: number;
  /**
   * A tenant's first scan announces its findings that can wait (medium and below) one by one only while
   * there are at most this many; beyond, it summarises them in one `scan.baseline` event.
   */
  firstScanItems: number;
  /** Days without a sign-in after which an expiring credential counts as unused (usage report). */
  unusedAfterDays: number;
  /** Longest lifetime of a client secret before it is raised as hygiene (CISA SCuBA: 180 days). */
  secretMaxLifetimeDays: number;
}
