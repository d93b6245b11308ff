import type { DateTime } from 'luxon';
import type { ApplicationCredentials, KeyHolders, KeyUsageReader } from './RotationPorts.js';
import type { RetiringRotation, Rotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';

/**
 * Removes the replaced secret once the grace period is over, on evidence: only when Entra's usage report
 * shows no sign-in with it since the new secret was stored. While something still signs in with it, it
 * stays (`retireDeferred`, with who: the resource and the vault copies still holding it). An expired
 * secret signs nobody in, and where the report cannot be read the grace period alone decides, as before;
 * the outcome says which. One already gone counts as done.
 */
export async function retireOldSecret(
  rotation: RetiringRotation,
  deps: { credentials: ApplicationCredentials; usage: KeyUsageReader; holders: KeyHolders },
  now: DateTime,
): Promise<StepOutcome> {
  const old = rotation.oldCredential;
  const evidence = await evidenceFor(rotation, old.keyId, Date.parse(old.endDateTime) <= now.toMillis(), deps);
  if ('lastSignIn' in evidence) return evidence;
  const result = await deps.credentials.removePassword(rotation.tenantId, rotation.application.objectId, old.keyId);
  if (result.kind === 'failed') return { kind: 'stepFailed', reason: result.reason, transient: result.transient };
  return result.kind === 'removed' ? { kind: 'retired', evidence: evidence.evidence } : { kind: 'alreadyRetired' };
}

async function evidenceFor(
  rotation: Rotation,
  keyId: string,
  expired: boolean,
  deps: { usage: KeyUsageReader; holders: KeyHolders },
): Promise<Extract<StepOutcome, { kind: 'retireDeferred' }> | { evidence: string }> {
  if (expired) return { evidence: 'the old secret has expired, so nothing can sign in with it' };
  const use = await deps.usage.lastUse(rotation.tenantId, keyId);
  if (use.kind === 'unknown') return { evidence: `usage unknown (${use.reason}); removed after the grace period alone` };
  const storedAt = newSecretStoredAt(rotation);
  if (use.lastSignIn === null || Date.parse(use.lastSignIn) <= Date.parse(storedAt))
    return { evidence: `no sign-in with the old secret since the new one was stored (${storedAt})` };
  const holders = await deps.holders.holdersOf(rotation.tenantId, rotation.application.appId, keyId);
  return { kind: 'retireDeferred', lastSignIn: use.lastSignIn, resource: use.resource, holders };
}

/** When the new secret reached Key Vault: from the step that stored it. */
export function newSecretStoredAt(rotation: Rotation): string {
  return rotation.history.find((h) => h.step === 'addSecret' && h.outcome === 'secretStored')?.at ?? rotation.requestedAt;
}
