import type { DateTime } from 'luxon';
import type { ApplicationInfo, RotationDeps } from './RotationPorts.js';
import { isDue, isLeased } from './nextStep.js';
import { planPolicyRotations, policyCandidates } from './planPolicyRotations.js';
import { requestRotation, type RequestContext } from './requestRotation.js';
import type { RotationRule } from './rotationRules.js';

/** A vault whose secrets' tags can opt apps in (the inventory's VaultReader fits). */
export interface TaggedSecretSource {
  vaultUrl: string;
  listSecrets(): AsyncIterable<{ name: string; tags: Record<string, string> }>;
}

export interface ScheduleReport {
  /** Rotations queued again: due retirements, retries, and runs that died. */
  resumed: string[];
  /** Rotations the policy started. */
  started: string[];
  /** Things that could not be checked or started, for the log; never silently nothing. */
  problems: string[];
}

/**
 * The rotation timer's work: queue every open rotation whose step is due (a retirement after the grace
 * period, a retry, or one whose run died and whose lease ran out), then start the rotations the policy
 * calls for. Idempotent: a queued rotation that is not due does nothing, and policy requests carry an
 * Idempotency-Key per app, secret and day.
 */
export async function runRotationSchedule(
  input: {
    rules: readonly RotationRule[];
    vaults: readonly TaggedSecretSource[];
    context: Omit<RequestContext, 'requester' | 'actor' | 'idempotencyKey'>;
  },
  deps: RotationDeps,
  now: DateTime,
): Promise<ScheduleReport> {
  const report: ScheduleReport = { resumed: [], started: [], problems: [] };
  for (const rotation of await deps.store.listOpen()) {
    if (!isDue(rotation, now) || isLeased(rotation, now)) continue;
    await deps.queue.enqueue(rotation.id);
    report.resumed.push(rotation.id);
  }
  const tagged = await listTagged(input.vaults, report);
  const candidates = policyCandidates(input.rules, input.context.vaultUrls[0] ?? '', tagged);
  const tenantId = input.context.tenants[0]!;
  const applications = new Map<string, ApplicationInfo>();
  for (const appId of new Set(candidates.map((c) => c.appId.toLowerCase()))) {
    const found = await deps.credentials.find(tenantId, { appId });
    if (found.kind === 'found') applications.set(appId, found.application);
    else
      report.problems.push(
        `policy: application ${appId} ${found.kind === 'notFound' ? 'not found' : `could not be read: ${found.reason}`}`,
      );
  }
  const plan = planPolicyRotations(candidates, applications, now, input.context.defaults.lifetimeDays);
  for (const c of plan.misconfigured)
    report.problems.push(
      `policy: ${c.vaultSecretName} (app ${c.appId}) asks to rotate ${c.withinDays} days ahead, but a new secret lives only ${c.lifetimeDays ?? input.context.defaults.lifetimeDays} days; not rotating`,
    );
  for (const due of plan.due) {
    const { candidate, credential } = due;
    const request = {
      tenantId,
      appId: candidate.appId,
      keyId: credential.keyId,
      vaultSecretName: candidate.vaultSecretName,
      vaultUrl: candidate.vaultUrl,
      dryRun: false,
      ...(candidate.lifetimeDays ? { lifetimeDays: candidate.lifetimeDays } : {}),
      ...(candidate.retireOldAfterHours !== undefined ? { retireOldAfterHours: candidate.retireOldAfterHours } : {}),
    };
    const requester = {
      kind: 'policy' as const,
      id: `policy-${candidate.source}`,
      name: `Vigil policy (${candidate.source}, ${due.daysLeft} days left)`,
    };
    const idempotencyKey = `${candidate.appId}|${credential.keyId}|${now.toUTC().toISODate()}`;
    const outcome = await requestRotation(
      request,
      { ...input.context, requester, actor: { kind: 'vigil', name: requester.name }, idempotencyKey },
      deps,
      now,
    );
    if (outcome.kind === 'accepted') report.started.push(outcome.rotation.id);
    else if (outcome.kind !== 'replayed' && outcome.kind !== 'conflict')
      report.problems.push(
        `policy: rotation of ${candidate.appId} not started: ${outcome.kind}${'reason' in outcome ? ` (${outcome.reason})` : ''}`,
      );
  }
  return report;
}

async function listTagged(vaults: readonly TaggedSecretSource[], report: ScheduleReport) {
  const tagged: Array<{ vaultUrl: string; name: string; tags: Record<string, string> }> = [];
  for (const vault of vaults) {
    try {
      for await (const secret of vault.listSecrets())
        if (Object.keys(secret.tags).length > 0) tagged.push({ vaultUrl: vault.vaultUrl, name: secret.name, tags: secret.tags });
    } catch (error) {
      report.problems.push(`policy: could not list ${vault.vaultUrl}: ${error instanceof Error ? error.message : 'error'}`);
    }
  }
  return tagged;
}
