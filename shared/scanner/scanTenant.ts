import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import { chooseReadRequest } from './chooseReadRequest.js';
import { diffFindings } from './diffFindings.js';
import type { DirectoryPager, ReadFailure, ReadRequest } from './DirectoryPager.js';
import { evaluateCredential } from './evaluateCredential.js';
import { findingKey, type CredentialFacts, type Finding } from './Finding.js';
import { readDirectory, type DirectoryRead, type Judge } from './readDirectory.js';
import { startedPager } from './startedPager.js';
import type { ScanPolicy } from './ScanPolicy.js';
import type { FindingStore, ScanState, ScanStateStore, VaultIndexEntry, VaultIndexReader } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';
import { toCredentialEvent } from './toCredentialEvent.js';
import { toScanCompletedEvent, toScanFailedEvent, toScanRecoveredEvent } from './toScanEvent.js';
import { copyLookup, vaultSecretFacts } from './vaultSecretFacts.js';

export interface ScanDependencies {
  pager: DirectoryPager;
  findings: FindingStore;
  state: ScanStateStore;
  vaultIndex: VaultIndexReader;
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
    const [previousList, vaultEntries] = await Promise.all([deps.findings.list(target.tenantId), deps.vaultIndex.list(target.tenantId)]);
    const previous = new Map(previousList.map((f) => [findingKey(f), f]));
    const judge: Judge = {
      context: { tenantId: target.tenantId, portal: target.portal, copyOf: copyLookup(vaultEntries) },
      policy,
      now,
      watched: new Set(previousList.filter((f) => f.subjectKind !== 'vaultSecret').map((f) => f.objectId)),
    };
    const { read, resynced } = await readWithResync(pager, request, judge);
    if (read.kind === 'failed') {
      next = await recordFailure(target, deps, lease.state, read.failure, now);
      return { kind: 'unchecked', failure: read.failure, keptFindings: previous.size };
    }
    const recorded = await recordScan(target, deps, lease.state, { read, previous, vaultEntries, judge });
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
  const current = judgeAll(read, previous, scanned.vaultEntries, target, judge);
  const diff = diffFindings(previous, current, (closed) => read.replacements.get(closed.objectId)?.[closed.credentialType]);
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

/**
 * The findings as of now: those of the objects read, the old ones of objects a delta round did not
 * return (judged again, since days pass and vault copies change), and the vault's own expiring secrets.
 */
function judgeAll(
  read: DirectoryRead,
  previous: ReadonlyMap<string, Finding>,
  vaultEntries: VaultIndexEntry[],
  target: ScanTarget,
  judge: Judge,
): Map<string, Finding> {
  const current = new Map(read.findings);
  if (read.mode === 'delta') {
    for (const [key, old] of previous) {
      if (old.subjectKind === 'vaultSecret' || read.touched.has(old.objectId) || current.has(key)) continue;
      const again = evaluateCredential(
        { ...toFacts(old), vaultCopy: (old.appId && judge.context.copyOf(old.appId, old.keyId)) || null },
        judge.policy,
        judge.now,
      );
      if (again) current.set(key, again);
    }
  }
  for (const facts of vaultSecretFacts(vaultEntries, target.vaultHome)) {
    const finding = evaluateCredential(facts, judge.policy, judge.now);
    if (finding) current.set(findingKey(finding), finding);
  }
  return current;
}

function toFacts(f: Finding): CredentialFacts {
  const { status: _s, daysLeft: _d, threshold: _t, severity: _v, overlap: _o, vaultCopyStale: _c, ...facts } = f;
  return facts;
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
