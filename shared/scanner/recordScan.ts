import type { DateTime } from 'luxon';
import { enrichFindings } from '../intelligence/enrichFindings.js';
import { closureOf } from './closureOf.js';
import { startDiff, type Closure, type CredentialNotice, type FindingsDiff } from './diffFindings.js';
import { findingKey, type CredentialFacts, type Finding } from './Finding.js';
import { judgeAll } from './judgeAll.js';
import type { DirectoryRead, Judge } from './readDirectory.js';
import type { LastScan, ScanDependencies, ScanState, VaultIndexEntry } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';
import { countFinding, noCounts, type FindingCounts } from './tallyFindings.js';
import { toCredentialEvent } from './toCredentialEvent.js';
import { toScanCompletedEvent, toScanRecoveredEvent } from './toScanEvent.js';
import { diffUpcoming, nextUpcoming } from './upcomingCrossings.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export interface Scanned {
  read: DirectoryRead;
  previous: ReadonlyMap<string, Finding>;
  upcoming: readonly CredentialFacts[];
  vaultEntries: VaultIndexEntry[];
  judge: Judge;
  /** A full read's findings, judged with their evidence and compared as its pages were read (streamFindings): not in `read.findings`. */
  streamed?: StreamedFindings | undefined;
}

/** A full read's findings, each compared with the last good one as it is judged with its evidence (startDiff). */
export interface StreamedFindings {
  /** Judged findings; `before` (same index), where known: the last good finding of each (batchEvidence's TakeJudged). */
  take(judged: readonly Finding[], before?: ReadonlyArray<Finding | undefined>): void;
  /** Takes `rest` (the vault's secrets, or a delta's findings), then closes the diff: what changed, the counts, the current keys. */
  finish(rest: ReadonlyMap<string, Finding>, closure: (closed: Finding) => Closure): ScanDiff;
}

export interface ScanDiff {
  diff: FindingsDiff;
  counts: FindingCounts;
  findings: number;
  /** The current findings' keys. */
  current: { has(key: string): boolean };
}

/**
 * A later full read's findings as its pages are judged: each is compared with the last good one at once and
 * only its key, its counts and what changed are kept. A tenant of 14,000 findings otherwise held every one of
 * them, judged, until its directory was read, and compared them all at once at the end: thousands of copies
 * made in one burst, which grew the heap V8 keeps far beyond what the scan holds. A delta's findings, held
 * at once, go through the same comparison in `finish`.
 */
export function streamFindings(previous: ReadonlyMap<string, Finding>): StreamedFindings {
  const differ = startDiff(previous);
  const notices: CredentialNotice[] = [];
  const upserts: Finding[] = [];
  const counts = noCounts();
  let findings = 0;
  const take = (judged: Iterable<Finding>, before: ReadonlyArray<Finding | undefined> = []) => {
    let i = -1;
    for (const f of judged) {
      i += 1;
      if (differ.has(findingKey(f))) continue;
      const { notice, upsert } = differ.take(f, before[i]);
      if (notice) notices.push(notice);
      if (upsert) upserts.push(f);
      countFinding(counts, f);
      findings += 1;
    }
  };
  return {
    take,
    finish(rest, closure) {
      take(rest.values());
      const closed = differ.closed(closure);
      return { diff: { notices: [...notices, ...closed.notices], upserts, removals: closed.removals }, counts, findings, current: differ };
    },
  };
}

export interface Recorded {
  state: ScanState;
  findings: number;
  counts: FindingCounts;
  events: number;
  /** A scan that has nothing to say but that it completed: that record, still being published, which the state's save goes beside. */
  publishing?: Promise<void> | undefined;
}

/** A scan after the first: what changed since the last good one is published, then stored. */
export async function recordScan(target: ScanTarget, deps: ScanDependencies, state: ScanState, scanned: Scanned): Promise<Recorded> {
  const { read, previous, judge, streamed } = scanned;
  const now = judge.now;
  // With `streamed`, the read's own findings were taken as they were judged: what is left is the vault's secrets.
  const judged = judgeAll(read, { findings: previous, upcoming: scanned.upcoming }, scanned.vaultEntries, target.vaultHome, judge);
  const rest = await enrichFindings(
    {
      current: judged,
      previous,
      mode: read.mode,
      vaultEntries: scanned.vaultEntries,
      read: read.mode === 'full' ? { kind: 'all', applications: read.applications } : undefined,
      unusedAfterDays: judge.policy.unusedAfterDays,
      nowMs: now.toMillis(),
    },
    deps.intel,
  );
  const closure = (closed: Finding) => closureOf(closed, read, scanned.vaultEntries);
  const { diff, counts, findings, current } = (streamed ?? streamFindings(previous)).finish(rest, closure);
  const scan = lastScanOf(read, findings, counts, deps, now);
  const recovered = state.failingSince ? [toScanRecoveredEvent(target, state.failingSince, now)] : [];
  const events = [...diff.notices.map((n) => toCredentialEvent(n, target, now)), ...recovered, toScanCompletedEvent(target, scan, now)];
  // Publish before storing: if storing fails, the next run says it again, and the dedupe key keeps channels quiet.
  // One call per scan: the notification pipeline makes at most one digest per route of each call.
  const publishing = deps.events.publish(events);
  // A scan with nothing to say but `scan.completed` (most deltas) goes on beside it, and its state is saved beside it
  // (scanTenant): that record alone names no finding. If it fails, the state is already saved and the scan fails; the
  // retry is a new scan and publishes its own `scan.completed` (the health endpoint's last run, which is marked only
  // when a scan returns, stays where it was; the status page's last run, read from the state, moves on). Anything a
  // person hears (a notice, a recovery) is published before the findings and state move on, or it would be lost.
  const quiet = diff.notices.length === 0 && recovered.length === 0;
  if (quiet) publishing.catch(() => undefined);
  else await publishing;
  await deps.findings.apply(target.tenantId, { ...diff, before: previous });
  // Not beside the findings: a credential that time alone made a finding leaves the upcoming crossings only
  // once its finding is stored, or a delta read after a failed store finds it nowhere (Graph sends no change).
  await deps.upcoming.apply(target.tenantId, diffUpcoming(scanned.upcoming, nextUpcoming(read, scanned.upcoming, current)));
  return {
    state: succeeded(target, state, read, scan),
    findings,
    counts,
    events: events.length,
    publishing: quiet ? publishing : undefined,
  };
}

/** What a good scan leaves in the tenant's state. */
export function succeeded(target: ScanTarget, state: ScanState, read: DirectoryRead, scan: LastScan): ScanState {
  return {
    tenantId: target.tenantId,
    deltaLinks: read.links ?? state.deltaLinks,
    lastFullScanAt: read.mode === 'full' ? scan.at : state.lastFullScanAt,
    tenantApplications: read.mode === 'full' ? read.applications : state.tenantApplications,
    lastSuccessAt: scan.at,
    lastScan: scan,
  };
}

export function lastScanOf(read: DirectoryRead, findings: number, counts: FindingCounts, deps: ScanDependencies, now: DateTime): LastScan {
  return {
    at: toIsoUtc(now),
    mode: read.mode,
    applications: read.applications,
    servicePrincipals: read.servicePrincipals,
    findings,
    durationMs: Math.round(deps.elapsedMs()),
    counts,
  };
}
