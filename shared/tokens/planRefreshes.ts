import { Duration, type DateTime } from 'luxon';
import { toConnectionKey, type Connection, type ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import { readConnectionTags } from './connectionTags.js';
import type { RefreshPolicy } from './RefreshPolicy.js';
import type { SecretListing } from './TokenPorts.js';

export type PlanReason = 'new' | 'replaced' | 'due' | 'retry';

export interface PlannedRefresh {
  connection: Connection;
  reason: PlanReason;
}

export interface RefreshPlan {
  due: PlannedRefresh[];
  misconfigured: Array<{ ref: ConnectionRef; problems: string[]; createdOn: DateTime | undefined }>;
  /** Connections that are fine and not due yet. */
  notDue: number;
}

/** Key Vault does not copy tags to a new version: the usual way a connection loses its tags. */
export const LOST_TAGS_PROBLEM =
  'vigil-kind: the current version has no Vigil tags; Key Vault does not copy tags to a new version, so set them again with the value';

/**
 * Decides, from listings (tags only) and remembered state, which connections to refresh now. A timer
 * tick is expected about hourly, so a connection counts as due when its next attempt falls before the
 * next tick (`planningMargin`): a daily probe then stays daily instead of slipping an hour a day.
 */
export function planRefreshes(
  listings: Array<{ vaultUrl: string; secret: SecretListing }>,
  states: ReadonlyMap<string, ConnectionState>,
  now: DateTime,
  policy: RefreshPolicy,
): RefreshPlan {
  const plan: RefreshPlan = { due: [], misconfigured: [], notDue: 0 };
  const horizon = now.plus(planningMargin(policy));
  for (const { vaultUrl, secret } of listings) {
    const ref = { vaultUrl, name: secret.name };
    const state = states.get(toConnectionKey(ref));
    const reading = readConnectionTags(ref, secret.tags);
    if (reading.kind === 'notAConnection') {
      if (state && (state.status === 'misconfigured' || isReplaced(state, secret)))
        plan.misconfigured.push({ ref, problems: [LOST_TAGS_PROBLEM], createdOn: secret.createdOn });
      continue;
    }
    const problems = reading.kind === 'misconfigured' ? reading.problems : secret.enabled ? [] : ['the current version is disabled'];
    if (reading.kind === 'misconfigured' || problems.length > 0) {
      plan.misconfigured.push({ ref, problems, createdOn: secret.createdOn });
      continue;
    }
    const reason = dueReason(state, secret, horizon);
    if (reason) plan.due.push({ connection: reading.connection, reason });
    else plan.notDue += 1;
  }
  return plan;
}

function dueReason(state: ConnectionState | undefined, secret: SecretListing, horizon: DateTime): PlanReason | undefined {
  if (!state || state.status === 'misconfigured' || !state.nextAttemptAt) return 'new';
  if (isReplaced(state, secret)) return 'replaced';
  if (horizon.toMillis() < Date.parse(state.nextAttemptAt)) return undefined;
  return state.status === 'failing' ? 'retry' : 'due';
}

/**
 * Listings carry no version id, but they carry the current version's creation time: a different one
 * than the version Vigil last saw means someone stored a new token (or Vigil crashed mid-write).
 */
function isReplaced(state: ConnectionState, secret: SecretListing): boolean {
  return (
    secret.createdOn !== undefined && state.tokenCreatedOn !== undefined && secret.createdOn.toMillis() !== Date.parse(state.tokenCreatedOn)
  );
}

/** One hourly tick, or half the probe interval when that is shorter. */
export function planningMargin(policy: RefreshPolicy): Duration {
  return Duration.fromMillis(Math.min(3_600_000, policy.probeInterval.toMillis() / 2));
}
