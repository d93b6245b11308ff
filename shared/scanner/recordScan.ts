import type { DateTime } from 'luxon';
import { enrichFindings } from '../intelligence/enrichFindings.js';
import { closureOf } from './closureOf.js';
import { diffFindings } from './diffFindings.js';
import type { CredentialFacts, Finding } from './Finding.js';
import { judgeAll } from './judgeAll.js';
import type { DirectoryRead, Judge } from './readDirectory.js';
import type { LastScan, ScanDependencies, ScanState, VaultIndexEntry } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';
import { FindingTally, type FindingCounts } from './tallyFindings.js';
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
  /** Whether the read's findings were judged with their evidence as its pages were read (a full read's are). */
  evidenced?: boolean | undefined;
}

export interface Recorded {
  state: ScanState;
  findings: number;
  counts: FindingCounts;
  events: number;
}

/** A scan after the first: what changed since the last good one is published, then stored. */
export async function recordScan(target: ScanTarget, deps: ScanDependencies, state: ScanState, scanned: Scanned): Promise<Recorded> {
  const { read, previous, judge } = scanned;
  const now = judge.now;
  const judged = judgeAll(read, { findings: previous, upcoming: scanned.upcoming }, scanned.vaultEntries, target.vaultHome, judge);
  const current = await enrichFindings(
    {
      current: judged,
      previous,
      mode: read.mode,
      vaultEntries: scanned.vaultEntries,
      read: read.mode === 'full' ? { kind: 'all', applications: read.applications } : undefined,
      evidenced: scanned.evidenced ? read.findings : undefined,
      unusedAfterDays: judge.policy.unusedAfterDays,
      nowMs: now.toMillis(),
    },
    deps.intel,
  );
  const diff = diffFindings(previous, current, (closed) => closureOf(closed, read, scanned.vaultEntries));
  const tally = new FindingTally(0);
  tally.add(current.values());
  const scan = lastScanOf(read, current.size, tally.counts, deps, now);
  const recovered = state.failingSince ? [toScanRecoveredEvent(target, state.failingSince, now)] : [];
  const events = [...diff.notices.map((n) => toCredentialEvent(n, target, now)), ...recovered, toScanCompletedEvent(target, scan, now)];
  // Publish before storing: if storing fails, the next run says it again, and the dedupe key keeps channels quiet.
  // One call per scan: the notification pipeline makes at most one digest per route of each call.
  await deps.events.publish(events);
  await deps.findings.apply(target.tenantId, { ...diff, before: previous });
  // Not beside the findings: a credential that time alone made a finding leaves the upcoming crossings only
  // once its finding is stored, or a delta read after a failed store finds it nowhere (Graph sends no change).
  await deps.upcoming.apply(target.tenantId, diffUpcoming(scanned.upcoming, nextUpcoming(read, scanned.upcoming, current)));
  return { state: succeeded(target, state, read, scan), findings: current.size, counts: tally.counts, events: events.length };
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
