import type { DateTime } from 'luxon';
import type { CredentialRules } from '../intelligence/AppPolicy.js';
import type { ApplicationInfo, CurrentSecretVersion } from './RotationPorts.js';
import type { Requester, Rotation, RotationPolicy } from './Rotation.js';
import type { RotationRequest } from './rotationRequestSchema.js';
import { vaultTagNames } from '../vault/vaultTagNames.js';
import { routingFromTags } from './vaultTags.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface RotationDefaults {
  lifetimeDays: number;
  retireOldAfterHours: number | 'never';
}

export type PlanResult =
  | { kind: 'planned'; rotation: Rotation }
  | { kind: 'keyNotFound'; keyId: string }
  /** An app management policy blocks new client secrets: addPassword would be refused, so nothing is started. */
  | { kind: 'refusedByPolicy'; policy: string };

/** The app management policy that governs the app, as read (or why it could not be). */
export type PolicyRead = { kind: 'read'; rules: CredentialRules } | { kind: 'unknown'; reason: string };

/**
 * The plan, before anything changes: which secret is replaced (the one named, else the one the vault
 * secret is tagged with, else none), how long the new one lives (never longer than the app management
 * policy allows: Graph would refuse it with CredentialInvalidLifetimeAsPerAppPolicy), where it goes and
 * when the old one goes. A policy that blocks new secrets refuses the plan.
 */
export function planRotation(input: {
  id: string;
  request: RotationRequest;
  vaultUrl: string;
  application: ApplicationInfo;
  current: CurrentSecretVersion | undefined;
  requester: Requester;
  defaults: RotationDefaults;
  policy: PolicyRead;
  now: DateTime;
}): PlanResult {
  const { request, application, current, now, policy } = input;
  if (policy.kind === 'read' && policy.rules.passwordAdditionBlockedBy)
    return { kind: 'refusedByPolicy', policy: policy.rules.passwordAdditionBlockedBy };
  const taggedKeyId = current?.tags[vaultTagNames.appId] === application.appId ? current.tags[vaultTagNames.keyId] : undefined;
  const keyId = request.keyId ?? taggedKeyId;
  const oldCredential = keyId ? application.passwordCredentials.find((c) => c.keyId.toLowerCase() === keyId.toLowerCase()) : undefined;
  if (request.keyId && !oldCredential) return { kind: 'keyNotFound', keyId: request.keyId };
  const at = toIsoUtc(now);
  return {
    kind: 'planned',
    rotation: {
      id: input.id,
      tenantId: request.tenantId,
      application: { objectId: application.objectId, appId: application.appId, displayName: application.displayName },
      ...(oldCredential ? { oldCredential } : {}),
      ...lifetime(request.lifetimeDays ?? input.defaults.lifetimeDays, policy),
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

/** The lifetime asked for, clamped to the policy's maximum, and what the policy said. */
function lifetime(requested: number, policy: PolicyRead): { lifetimeDays: number; policy: RotationPolicy } {
  if (policy.kind === 'unknown') return { lifetimeDays: requested, policy };
  const max = policy.rules.passwordMaxLifetime;
  return {
    lifetimeDays: max ? Math.min(requested, max.days) : requested,
    policy: { kind: 'read', maxLifetimeDays: max?.days ?? null, by: max?.policy ?? null, requestedLifetimeDays: requested },
  };
}
