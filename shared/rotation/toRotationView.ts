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
    /** The app management policy as read when planned: the lifetime it allows, or why it is unknown. */
    policy: rotation.policy ?? null,
    retireOldAfterHours: rotation.retireOldAfterHours,
    vault: {
      url: rotation.vault.url,
      secretName: rotation.vault.secretName,
      version: rotation.vaultVersion ?? null,
      previousVersion: rotation.vault.previousVersion ?? null,
    },
    retireAt: rotation.retireAt ?? null,
    /** Waiting while the old secret still signs in (with its last use and who), or the evidence it was removed on. */
    retirement: rotation.retirement ?? null,
    nextAttemptAt: rotation.wakeAt ?? null,
    failure: rotation.failure ?? null,
    requestedBy: rotation.requestedBy,
    requestedAt: rotation.requestedAt,
    updatedAt: rotation.updatedAt,
    history: rotation.history,
  };
}

export type RotationView = ReturnType<typeof toRotationView>;
