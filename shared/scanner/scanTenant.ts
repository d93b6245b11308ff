import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import { onceSucceeded } from '../core/onceSucceeded.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import { enrichFindings } from '../intelligence/enrichFindings.js';
import type { ScanIntelligence } from '../intelligence/ScanIntelligence.js';
import { chooseReadRequest } from './chooseReadRequest.js';
import { closureOf } from './closureOf.js';
import { diffFindings } from './diffFindings.js';
import type { DirectoryPager, ReadFailure, ReadRequest } from './DirectoryPager.js';
import { findingKey, type CredentialFacts, type Finding } from './Finding.js';
import { judgeAll } from './judgeAll.js';
import { readDirectory, type DirectoryRead, type Judge } from './readDirectory.js';
import { startedPager } from './startedPager.js';
import type { ScanPolicy } from './ScanPolicy.js';
import type { FindingStore, ScanState, ScanStateStore, UpcomingStore, VaultIndexEntry, VaultIndexReader } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';
import { toCredentialEvent } from './toCredentialEvent.js';
import { toScanCompletedEvent, toScanFailedEvent, toScanRecoveredEvent } from './toScanEvent.js';
import { diffUpcoming, nextUpcoming, upcomingUntilMs } from './upcomingCrossings.js';
import { copyLookup, keptInVaultLookup } from './vaultSecretFacts.js';

export interface ScanDependencies {
  pager: DirectoryPager;
  findings: FindingStore;
  upcoming: UpcomingStore;
  state: ScanStateStore;
  vaultIndex: VaultIndexReader;
  /** Policies, federated apps, usage and owners: what judges a credential beyond its dates. */
  intel: ScanIntelligence;
  events: EventPublisher;
  /** Milliseconds since the scan started, for `scan.completed`. */
  elapsedMs(): number;
}

export type ScanOutcome =
  | {
      kind: 'checked';
      mode: 'full' | 'delta';
      resynced: boolean;
      applications: number;
      servicePrincipals: number;
      findings: number;
      events: number;
    }
  | { kind: 'unchecked'; failure: ReadFailure; keptFindings: number }
  | { kind: 'busy'; until: string };

/**
 * Scans one tenant: reads its directory (first, full or delta), judges every credential, compares with
 * the last good findings, publishes what changed, then stores findings and delta links. A tenant that
 * cannot be read gets `scan.failed` and keeps its last good findings: never an empty all-clear.
 * `holder` names who holds the tenant's lease (the queue message's id, so its redelivery after a failure
 * takes the lease back instead of waiting for it to expire).
 */
export async function scanTenant(
  target: ScanTarget,
  deps: ScanDependencies,
  policy: ScanPolicy,
  now: DateTime,
  holder: string = randomUUID(),
): Promise<ScanOutcome> {
  const lease = await deps.state.acquire(target.tenantId, now, holder);
  if (lease.kind === 'busy') return { kind: 'busy', until: lease.until };
  let next: ScanState = lease.state;
  try {
    const request = chooseReadRequest(lease.state, policy, now);
    const pager = startedPager(deps.pager, request);
    const [previousList, vaultEntries, upcoming] = await Promise.all([
      deps.findings.list(target.tenantId),
      deps.vaultIndex.list(target.tenantId),
      deps.upcoming.list(target.tenantId),
    ]);
    const previous = new Map(previousList.map((f) => [findingKey(f), f]));
    const watched = [...previousList.filter((f) => f.subjectKind !== 'vaultSecret'), ...upcoming].map((f) => f.objectId);
    const judge: Judge = {
      context: { tenantId: target.tenantId, portal: target.portal, copyOf: copyLookup(vaultEntries) },
      intelligence: onceSucceeded(() => deps.intel.context()),
      keptInVault: keptInVaultLookup(vaultEntries),
      policy,
      now,
      watched: new Set(watched),
      upcomingUntilMs: upcomingUntilMs(policy, now.toMillis()),
    };
    const { read, resynced } = await readWithResync(pager, request, judge);
    if (read.kind === 'failed') {
      next = await recordFailure(target, deps, lease.state, read.failure, now);
      return { kind: 'unchecked', failure: read.failure, keptFindings: previous.size };
    }
    const recorded = await recordScan(target, deps, lease.state, { read, previous, upcoming, vaultEntries, judge });
    next = recorded.state;
    return {
      kind: 'checked',
      mode: read.mode,
      resynced,
      applications: read.applications,
      servicePrincipals: read.servicePrincipals,
      findings: recorded.findings,
      events: recorded.events,
    };
  } finally {
    await deps.state.release(lease.lease, next);
  }
}

/** A refused delta link means Graph lost track: read everything again with a first delta round. */
async function readWithResync(
  pager: DirectoryPager,
  request: ReadRequest,
  judge: Judge,
): Promise<{ read: DirectoryRead | { kind: 'failed'; failure: ReadFailure }; resynced: boolean }> {
  const first = await readDirectory(pager, request, judge);
  if (first.kind !== 'deltaRefused') return { read: first, resynced: false };
  const again = await readDirectory(pager, { mode: 'initial' }, judge);
  if (again.kind !== 'deltaRefused') return { read: again, resynced: true };
  return {
    read: { kind: 'failed', failure: { code: 'incomplete', reason: `Graph refused a first delta round: ${again.reason}` } },
    resynced: true,
  };
}

interface Scanned {
  read: DirectoryRead;
  previous: ReadonlyMap<string, Finding>;
  upcoming: readonly CredentialFacts[];
  vaultEntries: VaultIndexEntry[];
  judge: Judge;
}

async function recordScan(
  target: ScanTarget,
  deps: ScanDependencies,
  state: ScanState,
  scanned: Scanned,
): Promise<{ state: ScanState; findings: number; events: number }> {
  const { read, previous, judge } = scanned;
  const now = judge.now;
  const judged = judgeAll(read, { findings: previous, upcoming: scanned.upcoming }, scanned.vaultEntries, target.vaultHome, judge);
  const current = await enrichFindings(
    {
      current: judged,
      previous,
      mode: read.mode,
      vaultEntries: scanned.vaultEntries,
      unusedAfterDays: judge.policy.unusedAfterDays,
      nowMs: now.toMillis(),
    },
    deps.intel,
  );
  const diff = diffFindings(previous, current, (closed) => closureOf(closed, read, scanned.vaultEntries));
  const scan = {
    at: now.toUTC().toISO()!,
    mode: read.mode,
    applications: read.applications,
    servicePrincipals: read.servicePrincipals,
    findings: current.size,
    durationMs: Math.round(deps.elapsedMs()),
  };
  const recovered = state.failingSince ? [toScanRecoveredEvent(target, state.failingSince, now)] : [];
  const events = [...diff.notices.map((n) => toCredentialEvent(n, target, now)), ...recovered, toScanCompletedEvent(target, scan, now)];
  // Publish before storing: if storing fails, the next run says it again, and the dedupe key keeps channels quiet.
  // One call per scan: the notification pipeline makes at most one digest per route of each call.
  await deps.events.publish(events);
  await deps.findings.apply(target.tenantId, diff);
  await deps.upcoming.apply(target.tenantId, diffUpcoming(scanned.upcoming, nextUpcoming(read, scanned.upcoming, current)));
  const lastFullScanAt = read.mode === 'full' ? scan.at : state.lastFullScanAt;
  return {
    state: {
      tenantId: target.tenantId,
      deltaLinks: read.links ?? state.deltaLinks,
      lastFullScanAt,
      lastSuccessAt: scan.at,
      lastScan: scan,
    },
    findings: current.size,
    events: events.length,
  };
}

async function recordFailure(
  target: ScanTarget,
  deps: ScanDependencies,
  state: ScanState,
  failure: ReadFailure,
  now: DateTime,
): Promise<ScanState> {
  const since = state.failingSince ?? now.toUTC().toISO()!;
  const known = state.failure?.code === failure.code && state.failure.missingPermission === failure.missingPermission;
  // Said once per kind of failure; the notification pipeline reminds while it lasts.
  if (!known) await deps.events.publish([toScanFailedEvent(target, failure, since, now)]);
  return { ...state, failingSince: since, failure };
}
