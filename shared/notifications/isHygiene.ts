import type { VigilEvent } from '../events/vigilEvent.js';

/**
 * Hygiene: nothing breaks if nobody acts, there is only a credential to tidy away. A stale credential
 * (expired long ago, a newer one in use) or an expired one a valid newer one already replaced. Hygiene is
 * shown apart, is not counted as "needs action" and is never reminded of.
 */
export function isHygiene(event: VigilEvent): boolean {
  if (event.type === 'credential.stale') return true;
  return event.type === 'credential.expired' && event.data.overlap;
}
