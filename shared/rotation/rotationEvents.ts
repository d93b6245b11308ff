import { appCredentialsLink } from '../scanner/portalLinks.js';
import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { PasswordCredentialInfo, Retirement, RetiringRotation, Rotation, VerifyingRotation } from './Rotation.js';
import type { StepOutcome } from './StepOutcome.js';

/**
 * The events a transition produces: after verification, `credential.rotated` (the recovery notice for
 * the replaced secret's expiry finding; a webhook gets the Key Vault secret and version, never the value)
 * and `rotation.completed`; on failure, one `rotation.failed` alert.
 */
export function rotationEvents(before: Rotation, outcome: StepOutcome, after: Rotation, now: DateTime, portal: string): VigilEvent[] {
  const common = {
    tenantId: before.tenantId,
    subject: {
      kind: 'application' as const,
      id: before.application.objectId,
      displayName: before.application.displayName,
      appId: before.application.appId,
    },
    routing: { ...before.routing, tags: {} },
    links: { portal: appCredentialsLink(portal, before.tenantId, before.application.appId) },
  };
  if (after.step === 'failed' && before.step !== 'failed') {
    const { failure } = after;
    return [
      newEvent(
        {
          ...common,
          type: 'rotation.failed',
          severity: 'high',
          summary: `Rotating the client secret of ${before.application.displayName} failed at step ${failure.step}: ${failure.reason}.`,
          impact: before.oldCredential
            ? `Nothing changed for consumers: the old secret ${before.oldCredential.keyId} stays and expires ${before.oldCredential.endDateTime}.`
            : '',
          fix: `Read GET /api/rotations/${before.id}, fix the cause, then request a new rotation.`,
          dedupeKey: `rotation.failed|${before.tenantId}|${before.application.objectId}|${before.id}`,
          data: { rotationId: before.id, step: failure.step, reason: failure.reason },
        },
        now,
      ),
    ];
  }
  if (outcome.kind === 'retireDeferred' && before.step === 'retire' && after.retirement?.kind === 'waiting')
    return [retireDeferredEvent(before, after.retirement, common, now)];
  if (outcome.kind === 'retired' && before.step === 'retire' && before.retirement?.kind === 'waiting')
    return [retiredAtLastEvent(before, outcome.evidence, common, now)];
  if (outcome.kind !== 'notified' || before.step !== 'notify') return [];
  const completed = newEvent(
    {
      ...common,
      type: 'rotation.completed',
      severity: 'info',
      summary: `${before.application.displayName} has a new, verified client secret in Key Vault secret ${before.vault.secretName}.`,
      dedupeKey: `rotation.completed|${before.tenantId}|${before.application.objectId}|${before.id}`,
      data: {
        rotationId: before.id,
        newKeyId: before.newCredential.keyId,
        vaultSecretVersion: before.vaultVersion,
        ...(after.retireAt ? { retiresOldAt: after.retireAt } : {}),
      },
    },
    now,
  );
  return before.oldCredential ? [rotatedEvent(before, before.oldCredential, after, common, now), completed] : [completed];
}

/**
 * The old secret still signs in after the grace period: the owner hears who is still on it, and that Vigil
 * keeps it and checks again. One situation per rotation (its dedupe key), so each recheck is not news.
 */
function retireDeferredEvent(
  before: RetiringRotation,
  waiting: Extract<Retirement, { kind: 'waiting' }>,
  common: Omit<Parameters<typeof newEvent>[0], 'type' | 'data' | 'severity' | 'summary' | 'dedupeKey'>,
  now: DateTime,
): VigilEvent {
  const old = before.oldCredential;
  const who = [waiting.resource ? `a client signing in to ${waiting.resource}` : 'a client', ...waiting.holders].join('; ');
  return newEvent(
    {
      ...common,
      type: 'rotation.retire_deferred',
      severity: 'medium',
      summary: `The old client secret ${old.displayName ?? old.keyId} of ${before.application.displayName} was still used to sign in at ${waiting.lastSignIn}, after the new one was stored, so Vigil keeps it.`,
      impact: `Removing it now would break whatever still uses it (${who}); it expires on ${old.endDateTime.slice(0, 10)} anyway.`,
      fix: `Move what still uses the old secret to Key Vault secret ${before.vault.secretName} (its new version). Vigil checks again at ${waiting.nextCheckAt} and removes the old secret once nothing signs in with it.`,
      dedupeKey: `rotation.retire_deferred|${before.tenantId}|${before.application.objectId}|${before.id}`,
      data: {
        rotationId: before.id,
        oldKeyId: old.keyId,
        lastSignIn: waiting.lastSignIn,
        ...(waiting.resource ? { resource: waiting.resource } : {}),
        holders: waiting.holders,
        nextCheckAt: waiting.nextCheckAt,
      },
    },
    now,
  );
}

/** The old secret went after all, once nothing signed in with it: the close of a `rotation.retire_deferred`. */
function retiredAtLastEvent(
  before: RetiringRotation,
  evidence: string,
  common: Omit<Parameters<typeof newEvent>[0], 'type' | 'data' | 'severity' | 'summary' | 'dedupeKey'>,
  now: DateTime,
): VigilEvent {
  return newEvent(
    {
      ...common,
      type: 'rotation.completed',
      severity: 'info',
      summary: `The old client secret of ${before.application.displayName} was removed: ${evidence}.`,
      dedupeKey: `rotation.completed|${before.tenantId}|${before.application.objectId}|${before.id}`,
      data: {
        rotationId: before.id,
        newKeyId: before.newCredential.keyId,
        vaultSecretVersion: before.vaultVersion,
      },
    },
    now,
  );
}

function rotatedEvent(
  before: VerifyingRotation,
  old: PasswordCredentialInfo,
  after: Rotation,
  common: Omit<Parameters<typeof newEvent>[0], 'type' | 'data' | 'severity' | 'summary' | 'dedupeKey'>,
  now: DateTime,
): VigilEvent {
  const { url, secretName } = before.vault;
  return newEvent(
    {
      ...common,
      type: 'credential.rotated',
      severity: 'info',
      summary: `The client secret ${old.displayName ?? old.keyId} of ${before.application.displayName} was replaced; the new one is version ${before.vaultVersion} of Key Vault secret ${secretName}.`,
      fix: after.retireAt
        ? `Consumers reading ${secretName} get the new secret; the old one is removed at ${after.retireAt}.`
        : 'The old secret is kept: remove it once no consumer uses it.',
      dedupeKey: `credential.rotated|${before.tenantId}|${before.application.objectId}|${old.keyId}`,
      data: {
        keyId: old.keyId,
        credentialType: 'password',
        displayName: old.displayName,
        endDateTime: old.endDateTime,
        daysLeft: Math.floor((Date.parse(old.endDateTime) - now.toMillis()) / 86_400_000),
        threshold: 0,
        overlap: true,
        vaultCopy: { vaultUrl: url, secretName, stale: false },
        replacedBy: before.newCredential.keyId,
        vaultSecretVersion: before.vaultVersion,
      },
    },
    now,
  );
}
