import type { VigilEvent } from '../events/vigilEvent.js';

/**
 * Hygiene: nothing breaks if nobody acts, there is only a credential to tidy away. A stale credential
 * (expired long ago, a newer one in use), an expired one a valid newer one already replaced or nothing
 * used, and a credential off the ladder with hygiene items (`credential.hygiene`). Hygiene is shown
 * apart, is not counted as "needs action" and is never reminded of.
 */
export function isHygiene(event: VigilEvent): boolean {
  if (event.type === 'credential.stale' || event.type === 'credential.hygiene') return true;
  return event.type === 'credential.expired' && (event.data.overlap || event.data.usage?.kind === 'unused');
}
