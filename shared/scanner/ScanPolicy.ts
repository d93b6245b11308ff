/** The expiry scanner's settings, as the core reads them. */
export interface ScanPolicy {
  /** The ladder, largest first (default 60, 30, 14, 7, 3, 1). */
  thresholdsDays: readonly number[];
  /** Days after expiry when a replaced credential is reported as stale. */
  staleAfterDays: number;
  fullScanEveryHours: number;
}
