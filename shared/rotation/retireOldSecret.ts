import type { ApplicationCredentials } from './collaborators.js';
import type { Rotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';

/** Removes the replaced secret once the grace period is over; one already gone counts as done. */
export async function retireOldSecret(rotation: Rotation, deps: { credentials: ApplicationCredentials }): Promise<StepOutcome> {
  if (!rotation.oldCredential) return { kind: 'alreadyRetired' };
  const result = await deps.credentials.removePassword(rotation.tenantId, rotation.application.objectId, rotation.oldCredential.keyId);
  if (result.kind === 'failed') return { kind: 'stepFailed', reason: result.reason, transient: result.transient };
  return { kind: result.kind === 'removed' ? 'retired' : 'alreadyRetired' };
}
