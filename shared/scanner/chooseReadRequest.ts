import { DateTime } from 'luxon';
import type { ReadRequest } from './DirectoryPager.js';
import type { ScanPolicy } from './ScanPolicy.js';
import type { ScanState } from './ScanPorts.js';

/** Timer runs drift by seconds; a full scan a few minutes early beats one a whole period late. */
const SLACK_HOURS = 1 / 6;

/**
 * A first delta round when there are no delta links yet (it reads everything and yields them), a full
 * read when the last one is `fullScanEveryHours` old, else only the changes. Delta rounds only see
 * directory changes; what time alone moves onto the ladder in between comes from the findings and
 * upcoming crossings kept by the last full read (upcomingCrossings.ts), and each full read renews them.
 */
export function chooseReadRequest(state: ScanState, policy: ScanPolicy, now: DateTime): ReadRequest {
  if (!state.deltaLinks) return { mode: 'initial' };
  const lastFull = state.lastFullScanAt ? DateTime.fromISO(state.lastFullScanAt, { zone: 'utc' }) : undefined;
  if (!lastFull || now.diff(lastFull).as('hours') >= policy.fullScanEveryHours - SLACK_HOURS) return { mode: 'full' };
  return { mode: 'delta', links: state.deltaLinks };
}
