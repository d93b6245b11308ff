import type { DateTime } from 'luxon';
import { daysLeftUntil } from './evaluateCredential.js';
import type { Finding } from './Finding.js';

/**
 * A stored finding as of `now`: its days left move daily, and a finding's row is written again only
 * when its judgement changes (diffFindings), so whoever reads one works its days left out again.
 */
export function asOf(finding: Finding, now: DateTime): Finding {
  return { ...finding, daysLeft: daysLeftUntil(finding.endDateTime, now) };
}
