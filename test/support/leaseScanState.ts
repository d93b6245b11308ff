import type { DateTime } from 'luxon';
import type { ScanLease, ScanState, ScanStateStore } from '../../shared/scanner/ScanPorts.js';

export type LeaseOutcome = { kind: 'acquired'; lease: ScanLease; state: ScanState } | { kind: 'busy'; until: string };

/**
 * A tenant's scan state and its lease, taken at once (`read`, then its claim), for benches that seed
 * states and tests that look at or change one between scans. A scan itself claims beside its first reads.
 * A test helper that the list bench imports too: building the bench compiles it to dist/test/, which
 * .funcignore keeps out of the package, as it does dist/bench/.
 */
export async function leaseScanState(store: ScanStateStore, tenantId: string, now: DateTime, holder: string): Promise<LeaseOutcome> {
  const found = await store.read(tenantId, now, holder);
  if (found.kind === 'busy') return found;
  const claimed = await found.claim();
  return claimed.kind === 'busy' ? claimed : { ...claimed, state: found.state };
}
