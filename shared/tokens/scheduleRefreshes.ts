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
import { inTurnUnlessStalled, type FromSource } from '../helpers/inTurnUnlessStalled.js';

export interface PlannerDeps {
  stores: readonly TokenVault[];
  /** Where each vault's listing is recorded: the one vault-health source the scan planner records to as well. */
  vaultHealth: VaultHealthRecorder;
  states: ConnectionStateStore;
  queue: RefreshQueue;
  events: EventPublisher;
  policy: RefreshPolicy;
  homeTenantId: string;
  /** How long a vault's listing may stand still before the next vault starts beside it; VAULT_STALL_MS unless given (tests shorten it). */
  vaultStallMs?: number;
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
/** Listed batches waiting to be planned, at most: a few pages of read-ahead, never a whole vault's listings. */
export const BATCHES_AHEAD = 8;
/**
 * Vaults are planned one at a time: each holds its connections' rows while it is listed, so memory follows
 * the largest vault, not the number of vaults. A vault that keeps a page of its listing waiting this long
 * lets the next vault start beside it, so that a vault slow to answer does not hold the others up; at most
 * two run beside each other. Time the listing waits on Vigil's own planning (the state table, the queue)
 * does not count: another vault would only add to that load.
 */
const VAULT_STALL_MS = 10_000;

type Listed = { vaultUrl: string; secret: SecretListing };
type VaultPlan = Omit<PlannerRun, 'vaults'> & { check: VaultCheck };

/**
 * The timer's use case: list every watched vault (tags only, no values), decide what is due, record
 * misconfigured connections by name (telling people once per distinct problem), and queue one message
 * per due connection. A vault that cannot be listed is recorded in its vault health (alerted as
 * `vault.failed` once it persists); the others go on, and its connections are neither forgotten nor
 * marked: their last state stands until the vault is listed in full again. A state table failure fails
 * the run, once every vault has had its turn.
 */
export async function scheduleRefreshes(deps: PlannerDeps, now: DateTime): Promise<PlannerRun> {
  const settled = await Promise.allSettled(
    inTurnUnlessStalled(deps.stores, deps.vaultStallMs ?? VAULT_STALL_MS, (store, fromVault) => planVault(deps, store, now, fromVault)),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const plans = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const run: PlannerRun = {
    vaults: plans.map((p) => p.check),
    queued: plans.reduce((sum, p) => sum + p.queued, 0),
    notDue: plans.reduce((sum, p) => sum + p.notDue, 0),
    misconfigured: plans.flatMap((p) => p.misconfigured),
    forgotten: plans.flatMap((p) => p.forgotten),
  };
  await deps.vaultHealth.record(run.vaults, now);
  return run;
}

/**
 * Plans one vault: its rows are read while it is listed, and each row is let go once its secret has
 * been planned, so what is left when the listing ends are the rows of secrets that are gone.
 */
async function planVault(deps: PlannerDeps, store: TokenVault, now: DateTime, fromVault: FromSource): Promise<VaultPlan> {
  const rows = readRows(deps.states, store.vaultUrl);
  // Awaited once the first page is listed; a failure before then must not count as unhandled.
  rows.catch(() => undefined);
  const plannedAt = toIsoUtc(now);
  const tally: Pick<VaultPlan, 'queued' | 'notDue' | 'misconfigured'> = { queued: 0, notDue: 0, misconfigured: [] };
  // Key Vault names are case-insensitive: a row is not gone while its name is listed in any case.
  const listed = new Set<string>();
  const act = async (batch: Listed[]) => {
    const byName = await rows;
    const byKey = new Map(
      batch.flatMap(({ secret }) => {
        const state = byName.get(secret.name)?.row.state;
        return state ? [[toConnectionKey({ vaultUrl: store.vaultUrl, name: secret.name }), state] as const] : [];
      }),
    );
    const planned = planRefreshes(batch, byKey, now, deps.policy);
    tally.queued += planned.due.length;
    tally.notDue += planned.notDue;
    tally.misconfigured.push(...planned.misconfigured.map(({ ref, problems }) => ({ ref, problems })));
    await deps.events.publish(await recordMisconfigured(deps, planned, byKey, now));
    await deps.queue.send(
      planned.due.map(({ connection, reason }) => {
        const row = plannedRow(byName.get(connection.name), now);
        return { vaultUrl: connection.vaultUrl, name: connection.name, plannedAt, reason, ...(row ? { planned: row } : {}) };
      }),
    );
    for (const { secret } of batch) {
      listed.add(secret.name.toLowerCase());
      byName.delete(secret.name);
    }
  };
  const check = await listVault(store, act, fromVault);
  const unlisted = [...(await rows).values()].filter((r) => !listed.has(r.ref.name.toLowerCase()));
  const forgotten = check.outcome.kind === 'checked' ? await forgetVanished(deps, unlisted, now) : [];
  return { check, ...tally, forgotten };
}

/**
 * One vault's rows by secret name, read whole rather than walked beside the listing: Key Vault does not say
 * in which order it lists secrets, so a listed secret's row may come at any point of the table's order,
 * and a secret without a row is known only once every row was read. The map still holds one vault at a
 * time (unless one stalls: VAULT_STALL_MS), and each row goes as its secret is planned.
 */
async function readRows(states: ConnectionStateStore, vaultUrl: string): Promise<Map<string, StoredConnectionRow>> {
  return new Map((await states.listVaultRows(vaultUrl)).map((row) => [row.ref.name, row]));
}

/**
 * A connection whose secret was deleted would otherwise be listed as it last was, healthy, forever. Its
 * row goes once its vault has been listed in full without it, unless a refresh holds it or it changed
 * since it was read (the delete is conditional on the row's version).
 */
async function forgetVanished(deps: PlannerDeps, unlisted: readonly StoredConnectionRow[], now: DateTime): Promise<ConnectionRef[]> {
  const vanished = unlisted.filter((r) => !(r.leasedUntil && Date.parse(r.leasedUntil) > now.toMillis()));
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

/**
 * Lists one vault and hands it on in batches; only a listing failure makes the vault unchecked. A planning
 * failure (the state table, the queue) is thrown as it is, whether it meets the listing's wait for read-ahead
 * or the last batch: the `try` holds only the listing's own steps.
 */
async function listVault(store: TokenVault, act: (batch: Listed[]) => Promise<void>, fromVault: FromSource): Promise<VaultCheck> {
  let acting = Promise.resolve();
  const handed: Array<Promise<void>> = [];
  let batch: Listed[] = [];
  let secrets = 0;
  const handOn = () => {
    const ready = batch;
    batch = [];
    // Queue while the listing goes on; batches are handled in order.
    acting = acting.then(() => act(ready));
    // A batch can fail while the listing waits for its next page: its failure is met at the next wait for
    // read-ahead or at the end, not left unhandled meanwhile (an unhandled rejection can end the worker).
    acting.catch(() => undefined);
    handed.push(acting);
  };
  const listing = store.list()[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<SecretListing>;
      try {
        next = await fromVault(listing.next());
      } catch (error) {
        handOn();
        await acting;
        // Adapters throw secret-free errors (status and code only).
        return failedVaultCheck(store.vaultUrl, error);
      }
      if (next.done) break;
      secrets += 1;
      batch.push({ vaultUrl: store.vaultUrl, secret: next.value });
      if (batch.length < PLAN_BATCH) continue;
      handOn();
      // While the vault's rows are still being read, the listing waits rather than holding the vault's listings too.
      if (handed.length > BATCHES_AHEAD) await handed.shift();
    }
  } catch (planningFailure) {
    // Met while waiting for read-ahead: the batches still queued are skipped, and the listing ends, as `for await` would end it.
    await listing.return?.();
    throw planningFailure;
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
