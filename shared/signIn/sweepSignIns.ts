import type { DateTime } from 'luxon';
import { describeError } from '../helpers/describeError.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';
import type { SignInStore } from './SignInPorts.js';

export type SignInSweep = { kind: 'swept'; rows: number } | { kind: 'failed'; reason: string };

/**
 * Drops expired sign-in rows: abandoned flows with their PKCE verifier once their minutes are over, links
 * 30 days after they expired (so a late click still hears why it is refused), a bounded number per run. Run by
 * the refresh planner's timer, never by the anonymous sign-in request. A failure is told, not thrown: the
 * planner's own work is done, and the next run sweeps again.
 */
export async function sweepSignIns(deps: { store: SignInStore }, now: DateTime): Promise<SignInSweep> {
  try {
    return { kind: 'swept', rows: await deps.store.sweep(toIsoUtc(now)) };
  } catch (error) {
    return { kind: 'failed', reason: describeError(error) };
  }
}
