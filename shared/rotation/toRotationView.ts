import type { Rotation } from './Rotation.js';

/** What the API shows of a rotation: its plan and progress, without lease bookkeeping. Never a secret value. */
export function toRotationView(rotation: Rotation, options: { dryRun?: boolean } = {}) {
  return {
    id: rotation.id,
    status: rotation.step,
    dryRun: options.dryRun ?? false,
    tenantId: rotation.tenantId,
    application: rotation.application,
    oldCredential: rotation.oldCredential ?? null,
    newCredential: rotation.newCredential ?? null,
    lifetimeDays: rotation.lifetimeDays,
    retireOldAfterHours: rotation.retireOldAfterHours,
    vault: {
      url: rotation.vault.url,
      secretName: rotation.vault.secretName,
      version: rotation.vaultVersion ?? null,
      previousVersion: rotation.vault.previousVersion ?? null,
    },
    retireAt: rotation.retireAt ?? null,
    nextAttemptAt: rotation.wakeAt ?? null,
    failure: rotation.failure ?? null,
    requestedBy: rotation.requestedBy,
    requestedAt: rotation.requestedAt,
    updatedAt: rotation.updatedAt,
    history: rotation.history,
  };
}

export type RotationView = ReturnType<typeof toRotationView>;
