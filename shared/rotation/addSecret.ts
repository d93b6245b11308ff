import type { DateTime } from 'luxon';
import type { ApplicationCredentials, CallFailure, RotationVault } from './RotationPorts.js';
import { markerOf, type PasswordCredentialInfo, type Rotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';
import { vaultTagNames } from '../vault/vaultTagNames.js';
import { versionTags } from './vaultTags.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * Creates the new secret in Entra and stores it in Key Vault in one go: its text lives only in memory
 * in between. A run that died in between left a credential whose display name carries this rotation's
 * marker: if Key Vault already holds it (tagged with its key id), it is adopted; otherwise the text is
 * lost, so the orphan is removed and a new secret is made.
 */
export async function addSecret(
  rotation: Rotation,
  deps: { credentials: ApplicationCredentials; secrets: RotationVault },
  now: DateTime,
): Promise<StepOutcome> {
  const { tenantId, application, vault } = rotation;
  const found = await deps.credentials.find(tenantId, { objectId: application.objectId });
  if (found.kind === 'failed') return failed(found);
  if (found.kind === 'notFound')
    return { kind: 'stepFailed', reason: `application ${application.appId} no longer exists`, transient: false };
  const ours = found.application.passwordCredentials.filter((c) => c.displayName?.includes(markerOf(rotation.id)));
  const latest = await deps.secrets.latest(vault.url, vault.secretName);
  if (latest.kind === 'failed') return failed(latest);
  const stored = latest.kind === 'found' && latest.secret.tags[vaultTagNames.rotationId] === rotation.id ? latest.secret : undefined;
  const adoptable = stored ? ours.find((c) => c.keyId === stored.tags[vaultTagNames.keyId]) : undefined;
  const removed = await removeAll(
    deps.credentials,
    rotation,
    ours.filter((c) => c !== adoptable),
  );
  if (!Array.isArray(removed)) return failed(removed);
  if (stored && adoptable)
    return { kind: 'secretStored', newCredential: adoptable, vaultVersion: stored.version, orphansRemoved: removed, adopted: true };

  const displayName = displayNameFor(rotation);
  const added = await deps.credentials.addPassword(tenantId, application.objectId, {
    displayName,
    endDateTime: toIsoUtc(endOf(rotation, now)),
  });
  if (added.kind === 'mayHaveAdded') return { kind: 'secretMayExist', reason: added.reason, displayName };
  if (added.kind === 'failed') return failed(added);
  const written = await deps.secrets.write(vault.url, vault.secretName, added.secretText, {
    tags: versionTags(rotation, added.credential),
    expiresOn: new Date(added.credential.endDateTime),
  });
  if (written.kind === 'failed') {
    const undo = await deps.credentials.removePassword(tenantId, application.objectId, added.credential.keyId);
    return { kind: 'vaultWriteFailed', newKeyId: added.credential.keyId, reason: written.reason, newSecretRemoved: undo.kind !== 'failed' };
  }
  return { kind: 'secretStored', newCredential: added.credential, vaultVersion: written.version, orphansRemoved: removed, adopted: false };
}

/**
 * Entra starts a new secret at its own clock's now and measures a policy's maximum lifetime from there;
 * a lifetime at the maximum ends a little early, so a clock running ahead here cannot push it over.
 */
const policyMargin = { minutes: 10 };

function endOf(rotation: Rotation, now: DateTime): DateTime {
  const end = now.plus({ days: rotation.lifetimeDays });
  const atMaximum = rotation.policy?.kind === 'read' && rotation.policy.maxLifetimeDays === rotation.lifetimeDays;
  return atMaximum ? end.minus(policyMargin) : end;
}

/** Marks Vigil, the rotation and the requester, e.g. `vigil:rot-… by Ops CLI`. */
export function displayNameFor(rotation: Rotation): string {
  return `${markerOf(rotation.id)} by ${rotation.requestedBy.name.slice(0, 40)}`;
}

async function removeAll(
  credentials: ApplicationCredentials,
  rotation: Rotation,
  orphans: PasswordCredentialInfo[],
): Promise<string[] | CallFailure> {
  const removed: string[] = [];
  for (const orphan of orphans) {
    const result = await credentials.removePassword(rotation.tenantId, rotation.application.objectId, orphan.keyId);
    if (result.kind === 'failed') return { ...result, reason: `could not remove orphaned secret ${orphan.keyId}: ${result.reason}` };
    removed.push(orphan.keyId);
  }
  return removed;
}

const failed = (failure: CallFailure): StepOutcome => ({ kind: 'stepFailed', reason: failure.reason, transient: failure.transient });
