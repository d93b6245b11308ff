import type { DateTime } from 'luxon';
import { adviseOn } from '../intelligence/adviseOn.js';
import { usageAsOf } from '../intelligence/CredentialUsage.js';
import { daysLeftUntil } from './evaluateCredential.js';
import type { Finding } from './Finding.js';

/**
 * A stored finding as of `now`: its day counts move daily (its days left; an unused credential's idle
 * days, which its advice names), and a finding's row is written again only when its judgement changes
 * (startDiff), so whoever reads one works them out again.
 */
export function asOf(finding: Finding, now: DateTime): Finding {
  const moved = { ...finding, daysLeft: daysLeftUntil(finding.endDateTime, now) };
  if (finding.usage?.kind !== 'unused') return moved;
  const usage = usageAsOf(finding.usage, finding.startDateTime, now.toMillis());
  const advice = finding.advice && adviseOn(finding, { usage, impact: finding.impact, federated: finding.federated });
  return { ...moved, usage, advice };
}
