import { DateTime } from 'luxon';
import type { IntelligenceContext, KeptIntelligence } from '../intelligence/ScanIntelligence.js';
import type { ScanPolicy } from './ScanPolicy.js';

/**
 * The kept policies and federated apps a delta read may judge with: those read less than
 * `fullScanEveryHours` ago (the daily full read reads them again), else undefined and the read reads
 * them afresh. What could not be read stays unread: a kept context that says the federated apps or the
 * policies are unknown says so to every finding it judges, with its reason. A time after `now` (a clock
 * moved back) is not trusted.
 */
export function freshIntelligence(kept: KeptIntelligence | undefined, policy: ScanPolicy, now: DateTime): IntelligenceContext | undefined {
  if (!kept) return undefined;
  const readAt = DateTime.fromISO(kept.readAt, { zone: 'utc' });
  if (!readAt.isValid) return undefined;
  const ageHours = now.diff(readAt).as('hours');
  return ageHours >= 0 && ageHours < policy.fullScanEveryHours ? kept.context : undefined;
}
