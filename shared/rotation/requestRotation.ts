import { createHash, randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { AuditActor } from '../audit/AuditLog.js';
import type { RotationDeps } from './RotationPorts.js';
import { planRotation, type RotationDefaults } from './planRotation.js';
import type { Requester, Rotation } from './Rotation.js';
import type { RotationRequest } from './rotationRequestSchema.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type RequestOutcome =
  | { kind: 'accepted'; rotation: Rotation }
  | { kind: 'replayed'; rotation: Rotation }
  | { kind: 'dryRun'; rotation: Rotation }
  | { kind: 'conflict'; rotationId: string }
  | { kind: 'idempotencyMismatch'; rotationId: string }
  | { kind: 'invalid'; field: string; reason: string }
  /** An app management policy blocks new client secrets for the app: refused before anything changes, with the way out. */
  | { kind: 'refusedByPolicy'; reason: string; advice: string }
  | { kind: 'appNotFound' }
  | { kind: 'unavailable'; reason: string };

export interface RequestContext {
  requester: Requester;
  actor: AuditActor;
  idempotencyKey?: string;
  /** Tenants Vigil manages app registrations in (its home tenant). */
  tenants: string[];
  vaultUrls: string[];
  defaults: RotationDefaults;
}

/**
 * Plans a rotation and, unless it is a dry run, records it (taking the app's lock) and queues it.
 * A repeated request with the same Idempotency-Key from the same caller gets the same rotation.
 */
export async function requestRotation(
  request: RotationRequest,
  context: RequestContext,
  deps: RotationDeps,
  now: DateTime,
): Promise<RequestOutcome> {
  const outcome = await decide(request, context, deps, now);
  const rotationId = 'rotation' in outcome ? outcome.rotation.id : 'rotationId' in outcome ? outcome.rotationId : undefined;
  await deps.audit.record({
    at: toIsoUtc(now),
    actor: context.actor,
    action: request.dryRun ? 'rotation.plan' : 'rotation.request',
    outcome: outcome.kind,
    target: request.appId ?? request.objectId ?? '',
    ...(rotationId ? { rotationId } : {}),
    ...(outcome.kind === 'invalid' || outcome.kind === 'unavailable' || outcome.kind === 'refusedByPolicy'
      ? { reason: outcome.reason }
      : {}),
  });
  return outcome;
}

async function decide(request: RotationRequest, context: RequestContext, deps: RotationDeps, now: DateTime): Promise<RequestOutcome> {
  const idempotency =
    context.idempotencyKey && !request.dryRun
      ? { key: scopedKey(context.requester.id, context.idempotencyKey), fingerprint: fingerprintOf(request) }
      : undefined;
  if (idempotency) {
    const seen = await deps.store.findByIdempotencyKey(idempotency.key);
    if (seen) return replay(seen, idempotency.fingerprint, deps);
  }
  if (!context.tenants.some((t) => t.toLowerCase() === request.tenantId.toLowerCase()))
    return { kind: 'invalid', field: 'tenantId', reason: 'Vigil does not manage app registrations in this tenant' };
  const vaultUrl = context.vaultUrls.find((url) => sameUrl(url, request.vaultUrl ?? context.vaultUrls[0] ?? ''));
  if (!vaultUrl) return { kind: 'invalid', field: 'vaultUrl', reason: 'not one of the vaults Vigil uses (VIGIL_KEY_VAULT_URLS)' };
  const found = await deps.credentials.find(request.tenantId, request.appId ? { appId: request.appId } : { objectId: request.objectId! });
  if (found.kind === 'failed') return { kind: 'unavailable', reason: found.reason };
  if (found.kind === 'notFound') return { kind: 'appNotFound' };
  const current = await deps.secrets.latest(vaultUrl, request.vaultSecretName);
  if (current.kind === 'failed') return { kind: 'unavailable', reason: current.reason };
  const policy = await deps.policies.rulesFor(request.tenantId, found.application);
  const id = `rot-${randomUUID()}`;
  const plan = planRotation({
    id,
    request,
    vaultUrl,
    application: found.application,
    current: current.kind === 'found' ? current.secret : undefined,
    requester: context.requester,
    defaults: context.defaults,
    policy,
    now,
  });
  if (plan.kind === 'refusedByPolicy')
    return {
      kind: 'refusedByPolicy',
      reason: `${plan.policy} blocks new client secrets for ${found.application.displayName}, so Graph would refuse the new secret (CredentialTypeNotAllowedAsPerAppPolicy)`,
      advice:
        'Give the app a certificate kept in Key Vault, or a federated identity credential if its consumer runs in Azure or a CI system, then remove the secret; or ask an admin to exempt the app from the policy.',
    };
  if (plan.kind === 'keyNotFound')
    return { kind: 'invalid', field: 'keyId', reason: `the application has no client secret with key id ${plan.keyId}` };
  const holder = await deps.store.lockHolder(request.tenantId, found.application.objectId);
  if (holder) return { kind: 'conflict', rotationId: holder };
  if (request.dryRun) return { kind: 'dryRun', rotation: plan.rotation };
  const created = await deps.store.create(plan.rotation, idempotency);
  if (created.kind === 'conflict') return { kind: 'conflict', rotationId: created.rotationId };
  if (created.kind === 'replay') return replay(created, idempotency!.fingerprint, deps);
  await deps.queue.enqueue(id);
  return { kind: 'accepted', rotation: plan.rotation };
}

async function replay(seen: { rotationId: string; fingerprint: string }, fingerprint: string, deps: RotationDeps): Promise<RequestOutcome> {
  if (seen.fingerprint !== fingerprint) return { kind: 'idempotencyMismatch', rotationId: seen.rotationId };
  const stored = await deps.store.get(seen.rotationId);
  if (!stored) return { kind: 'unavailable', reason: `rotation ${seen.rotationId} of this Idempotency-Key is missing` };
  return { kind: 'replayed', rotation: stored.rotation };
}

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/** Keys are per caller, so one caller cannot reach another's rotation by guessing a key. */
const scopedKey = (requesterId: string, key: string): string => createHash('sha256').update(`${requesterId}\n${key}`).digest('hex');

function fingerprintOf(request: RotationRequest): string {
  const sorted = Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
