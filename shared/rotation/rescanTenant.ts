import type { DateTime } from 'luxon';
import { describeError } from '../helpers/describeError.js';
import { requestScans } from '../scanner/requestScans.js';
import type { RotationDeps } from './RotationPorts.js';
import type { Rotation } from './Rotation.js';

/** What asking for a scan after a rotation came to; a failure is reported, never a failed rotation. */
export type RescanOutcome = { kind: 'queued' } | { kind: 'notWatched' } | { kind: 'failed'; reason: string };

/** Outcomes after which the app's secrets in Entra differ from what the last scan saw. */
export const changesSecrets = (outcome: { kind: string }): boolean =>
  outcome.kind === 'notified' || outcome.kind === 'retired' || outcome.kind === 'alreadyRetired';

/**
 * Queues a scan of the rotation's tenant through the planner's queue, so the findings, the status page
 * and the API stop showing the replaced (or removed) secret as expiring within minutes rather than at
 * the next hourly scan. A tenant the scanner does not watch is left alone; a queue that cannot be
 * reached is an outcome for the caller to log: the rotation itself is done, and the hourly scan comes.
 */
export async function rescanTenant(rotation: Rotation, deps: RotationDeps, now: DateTime): Promise<RescanOutcome> {
  const tenantId = rotation.tenantId.toLowerCase();
  // Asked here first so an unwatched tenant leaves no audit row: requestScans records every request it is given.
  if (!deps.scans.tenantOf(tenantId)) return { kind: 'notWatched' };
  try {
    const outcome = await requestScans(
      { tenantId },
      {
        actor: { kind: 'vigil', name: `Vigil, after rotation ${rotation.id}` },
        because: `rotation ${rotation.id} changed the secrets of ${rotation.application.appId}`,
      },
      deps.scans,
      now,
    );
    if (outcome.kind === 'queued') return { kind: 'queued' };
    if (outcome.kind === 'unknownTenant') return { kind: 'notWatched' };
    return { kind: 'failed', reason: outcome.reason };
  } catch (error) {
    // The audit row could not be written: the scan may be queued, but say so rather than fail the rotation.
    return { kind: 'failed', reason: `could not record the scan request (${describeError(error)})` };
  }
}
