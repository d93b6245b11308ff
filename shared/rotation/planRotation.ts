import type { DateTime } from 'luxon';
import type { ApplicationInfo, SecretVersionInfo } from './collaborators.js';
import type { Requester, Rotation } from './Rotation.js';
import type { RotationRequest } from './rotationRequestSchema.js';
import { routingFromTags, vaultTagNames } from './vaultTags.js';

export interface RotationDefaults {
  lifetimeDays: number;
  retireOldAfterHours: number | 'never';
}

export type PlanResult = { kind: 'planned'; rotation: Rotation } | { kind: 'keyNotFound'; keyId: string };

/**
 * The plan, before anything changes: which secret is replaced (the one named, else the one the vault
 * secret is tagged with, else none), how long the new one lives, where it goes and when the old one goes.
 */
export function planRotation(input: {
  id: string;
  request: RotationRequest;
  vaultUrl: string;
  application: ApplicationInfo;
  current: SecretVersionInfo | undefined;
  requester: Requester;
  defaults: RotationDefaults;
  now: DateTime;
}): PlanResult {
  const { request, application, current, now } = input;
  const taggedKeyId = current?.tags[vaultTagNames.appId] === application.appId ? current.tags[vaultTagNames.keyId] : undefined;
  const keyId = request.keyId ?? taggedKeyId;
  const oldCredential = keyId ? application.passwordCredentials.find((c) => c.keyId.toLowerCase() === keyId.toLowerCase()) : undefined;
  if (request.keyId && !oldCredential) return { kind: 'keyNotFound', keyId: request.keyId };
  const at = now.toUTC().toISO()!;
  return {
    kind: 'planned',
    rotation: {
      id: input.id,
      tenantId: request.tenantId,
      application: { objectId: application.objectId, appId: application.appId, displayName: application.displayName },
      ...(oldCredential ? { oldCredential } : {}),
      lifetimeDays: request.lifetimeDays ?? input.defaults.lifetimeDays,
      retireOldAfterHours: request.retireOldAfterHours ?? input.defaults.retireOldAfterHours,
      vault: {
        url: input.vaultUrl,
        secretName: request.vaultSecretName,
        ...(current ? { previousVersion: current.version } : {}),
        tags: current?.tags ?? {},
      },
      routing: routingFromTags(current?.tags ?? {}),
      requestedBy: input.requester,
      requestedAt: at,
      step: 'addSecret',
      attempts: 0,
      history: [{ at, step: 'addSecret', outcome: 'planned' }],
      updatedAt: at,
    },
  };
}
