import type { ApplicationCredentials, RotationVault } from './RotationPorts.js';
import { markerOf, type RollingBackRotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';

type Deps = { credentials: ApplicationCredentials; secrets: RotationVault };

/**
 * Undoes a rotation whose new secret could not be verified: removes every secret this rotation added
 * (the old one was never touched), and makes the Key Vault secret's latest version the previous value
 * again, or disables the new version when there was none. A version someone wrote after Vigil's is left alone.
 */
export async function rollBackRotation(rotation: RollingBackRotation, deps: Deps): Promise<StepOutcome> {
  const found = await deps.credentials.find(rotation.tenantId, { objectId: rotation.application.objectId });
  if (found.kind === 'failed') return { kind: 'stepFailed', reason: found.reason, transient: found.transient };
  const ours =
    found.kind === 'found'
      ? found.application.passwordCredentials.filter(
          (c) => c.keyId === rotation.newCredential?.keyId || c.displayName?.includes(markerOf(rotation.id)),
        )
      : [];
  const removedKeyIds: string[] = [];
  for (const credential of ours) {
    const removed = await deps.credentials.removePassword(rotation.tenantId, rotation.application.objectId, credential.keyId);
    if (removed.kind === 'failed')
      return {
        kind: 'stepFailed',
        reason: `could not remove the new secret ${credential.keyId}: ${removed.reason}`,
        transient: removed.transient,
      };
    removedKeyIds.push(credential.keyId);
  }
  const vault = await restoreVault(rotation, deps.secrets);
  if (typeof vault !== 'object') return { kind: 'rolledBack', removedKeyIds, vault };
  if (vault.kind === 'failed') return { kind: 'stepFailed', reason: vault.reason, transient: vault.transient };
  return { kind: 'rolledBack', removedKeyIds, vault: 'restored', restoredVersion: vault.version };
}

async function restoreVault(rotation: RollingBackRotation, secrets: RotationVault) {
  const { url, secretName, previousVersion } = rotation.vault;
  if (!rotation.vaultVersion) return 'untouched' as const;
  const latest = await secrets.latest(url, secretName);
  if (latest.kind === 'failed') return latest;
  if (latest.kind === 'notFound' || latest.secret.version !== rotation.vaultVersion) return 'untouched' as const;
  if (!previousVersion) {
    const disabled = await secrets.disable(url, secretName, rotation.vaultVersion);
    return disabled.kind === 'failed' ? disabled : ('disabled' as const);
  }
  const previous = await secrets.read(url, secretName, previousVersion);
  if (previous.kind === 'failed') return previous;
  if (previous.kind === 'notFound') return 'untouched' as const;
  return secrets.write(url, secretName, previous.value, { tags: previous.tags });
}
