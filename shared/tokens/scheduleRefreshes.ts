import type { DateTime } from 'luxon';
import { checked } from '../helpers/CheckOutcome.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { failedVaultCheck, type VaultCheck } from '../inventory/VaultHealth.js';
import type { VaultHealthRecorder } from '../inventory/InventoryPorts.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import { toConnectionKey, type ConnectionRef } from './Connection.js';
import type { ConnectionState } from './ConnectionState.js';
import type { ConnectionStateStore, StoredConnectionRow, RefreshQueue, SecretListing, TokenVault } from './TokenPorts.js';
import { nextConnectionState } from './nextConnectionState.js';
import { planRefreshes, type RefreshPlan } from './planRefreshes.js';
import type { PlannedRow } from './PlannedRow.js';
import type { RefreshPolicy } from './RefreshPolicy.js';
import { toMisconfiguredEvent, toRemovedEvent } from './toConnectionEvents.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface PlannerDeps {
  stores: readonly TokenVault[];
  /** Where each vault's listing is recorded: the one vault-health source the scan planner records to as well. */
  vaultHealth: VaultHealthRecorder;
  states: ConnectionStateStore;
  queue: RefreshQueue;
  events: EventPublisher;
  policy: RefreshPolicy;
  homeTenantId: string;
}

export interface PlannerRun {
  vaults: VaultCheck[];
  queued: number;
  notDue: number;
  misconfigured: Array<{ ref: ConnectionRef; problems: string[] }>;
  /** Connections whose secret is gone from a vault that was listed in full: their state is dropped. */
  forgotten: ConnectionRef[];
}

/** Key Vault lists 25 secrets a page; planning a page at a time starts the fan-out at once and keeps memory flat. */
const PLAN_BATCH = 25;

/**
 * The timer's use case: list every watched vault (tags only, no values), decide what is due, record
 * misconfigured connections by name (telling people once per distinct problem), and queue one message
 * per due connection. A vault that cannot be listed is recorded in its vault health (alerted as
 * `vault.failed` once it persists); the others go on, and its connections are neither forgotten nor
 * marked: their last state stands until the vault is listed in full again.
 */
export async function scheduleRefreshes(deps: PlannerDeps, now: DateTime): Promise<PlannerRun> {
  const stored = deps.states.listRows().then((rows) => new Map(rows.map((r) => [toConnectionKey(r.ref), r])));
  const states = stored.then((rows) => new Map([...rows].flatMap(([key, r]) => (r.row.state ? [[key, r.row.state] as const] : []))));
  // Both are awaited later, once the vaults' listings start; a failure before then must not count as unhandled.
  for (const pending of [stored, states]) pending.catch(() => undefined);
  const run: PlannerRun = { vaults: [], queued: 0, notDue: 0, misconfigured: [], forgotten: [] };
  const plannedAt = toIsoUtc(now);
  const listed = new Set<string>();
  const act = async (batch: Array<{ vaultUrl: string; secret: SecretListing }>) => {
    for (const { vaultUrl, secret } of batch) listed.add(toConnectionKey({ vaultUrl, name: secret.name }).toLowerCase());
    const [byKey, rows] = await Promise.all([states, stored]);
    const plan = planRefreshes(batch, byKey, now, deps.policy);
    run.queued += plan.due.length;
    run.notDue += plan.notDue;
    run.misconfigured.push(...plan.misconfigured.map(({ ref, problems }) => ({ ref, problems })));
    await deps.events.publish(await recordMisconfigured(deps, plan, byKey, now));
    await deps.queue.send(
      plan.due.map(({ connection, reason }) => {
        const planned = plannedRow(rows.get(toConnectionKey(connection)), now);
        return { vaultUrl: connection.vaultUrl, name: connection.name, plannedAt, reason, ...(planned ? { planned } : {}) };
      }),
    );
  };
  run.vaults = await Promise.all(deps.stores.map((store) => planVault(store, act)));
  const complete = new Set(run.vaults.filter((v) => v.outcome.kind === 'checked').map((v) => new URL(v.vaultUrl).host));
  run.forgotten = await forgetVanished(deps, [...(await stored).values()], (key) => listed.has(key.toLowerCase()), complete, now);
  await deps.vaultHealth.record(run.vaults, now);
  return run;
}

/**
 * A connection whose secret was deleted would otherwise be listed as it last was, healthy, forever. Its
 * row goes once its vault has been listed in full without it, unless a refresh holds it or it changed
 * since it was read (the delete is conditional on the row's version).
 */
async function forgetVanished(
  deps: PlannerDeps,
  rows: readonly StoredConnectionRow[],
  isListed: (key: string) => boolean,
  completeVaultHosts: ReadonlySet<string>,
  now: DateTime,
): Promise<ConnectionRef[]> {
  const vanished = rows.filter(
    (r) =>
      completeVaultHosts.has(new URL(r.ref.vaultUrl).host) &&
      !isListed(toConnectionKey(r.ref)) &&
      !(r.leasedUntil && Date.parse(r.leasedUntil) > now.toMillis()),
  );
  const forgotten = (await Promise.all(vanished.map(async (r) => ((await deps.states.forget(r.ref, r.row.version)) ? [r] : [])))).flat();
  // A connection people were told is failing or misconfigured is closed, so its reminders end.
  const closing = forgotten.flatMap((r) => (r.row.state && wasAnnounced(r.row.state) ? [r.row.state] : []));
  if (closing.length > 0) await deps.events.publish(closing.map((state) => toRemovedEvent(state, deps.homeTenantId, now)));
  return forgotten.map((r) => r.ref);
}

/** Whether a person was told about this connection's trouble (a silent transient blip was not). */
function wasAnnounced(state: ConnectionState): boolean {
  return state.status === 'misconfigured' || (state.status === 'failing' && state.alertedClass !== undefined);
}

/**
 * The row as read, for the refresh to take its lease in one write; none for a row whose lease was live
 * (its holder may still write), so that refresh reads the row and finds the lease instead.
 */
function plannedRow(stored: StoredConnectionRow | undefined, now: DateTime): PlannedRow | undefined {
  if (!stored) return { version: null };
  return stored.leasedUntil && Date.parse(stored.leasedUntil) > now.toMillis() ? undefined : stored.row;
}

/** Lists one vault and hands it on in batches; only a listing failure makes the vault unchecked. */
async function planVault(
  store: TokenVault,
  act: (batch: Array<{ vaultUrl: string; secret: SecretListing }>) => Promise<void>,
): Promise<VaultCheck> {
  let acting = Promise.resolve();
  let batch: Array<{ vaultUrl: string; secret: SecretListing }> = [];
  let secrets = 0;
  const handOn = () => {
    const ready = batch;
    batch = [];
    // Queue while the listing goes on; batches are handled in order.
    acting = acting.then(() => act(ready));
  };
  try {
    for await (const secret of store.list()) {
      secrets += 1;
      batch.push({ vaultUrl: store.vaultUrl, secret });
      if (batch.length >= PLAN_BATCH) handOn();
    }
  } catch (error) {
    handOn();
    await acting;
    // Adapters throw secret-free errors (status and code only).
    return failedVaultCheck(store.vaultUrl, error);
  }
  handOn();
  await acting;
  return { vaultUrl: store.vaultUrl, outcome: checked({ secrets }) };
}

async function recordMisconfigured(
  deps: PlannerDeps,
  plan: RefreshPlan,
  byKey: ReadonlyMap<string, ConnectionState>,
  now: DateTime,
): Promise<VigilEvent[]> {
  const events: VigilEvent[] = [];
  for (const { ref, problems, createdOn } of plan.misconfigured) {
    const previous = byKey.get(toConnectionKey(ref));
    const { state, notice } = nextConnectionState(
      previous,
      ref,
      { kind: 'misconfigured', problems, tokenVersion: undefined, tokenCreatedOn: createdOn },
      now,
      deps.policy,
    );
    if (notice === 'misconfigured' && (await deps.states.saveUnleased(state, now)))
      events.push(toMisconfiguredEvent(state, deps.homeTenantId, now));
  }
  return events;
}
