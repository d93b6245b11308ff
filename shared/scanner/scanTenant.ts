import { randomUUID } from 'node:crypto';
import type { DateTime } from 'luxon';
import { batchEvidence } from '../intelligence/batchEvidence.js';
import { evidenceAsked } from '../intelligence/enrichFindings.js';
import type { KeptIntelligence } from '../intelligence/ScanIntelligence.js';
import { chooseReadRequest } from './chooseReadRequest.js';
import type { DirectoryPager, ReadFailure, ReadRequest } from './DirectoryPager.js';
import { asOf } from './asOf.js';
import type { Finding } from './Finding.js';
import type { KeptFindings } from './KeptFindings.js';
import { freshIntelligence } from './freshIntelligence.js';
import { readDirectory, type DirectoryRead, type FindingSink, type Judge, type PageCounts } from './readDirectory.js';
import { recordBaseline } from './recordBaseline.js';
import { recordScan, streamFindings } from './recordScan.js';
import type { ScanDependencies, ScanState } from './ScanPorts.js';
import type { ScanPolicy } from './ScanPolicy.js';
import type { ScanTarget } from './ScanTarget.js';
import { startedPager } from './startedPager.js';
import { FindingTally, type FindingCounts } from './tallyFindings.js';
import { toScanFailedEvent } from './toScanEvent.js';
import { upcomingUntilMs } from './upcomingCrossings.js';
import { copyLookup, keptInVaultLookup } from './vaultSecretFacts.js';
import { onceSucceeded } from '../helpers/onceSucceeded.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

export type { ScanDependencies } from './ScanPorts.js';

export type ScanOutcome =
  | {
      kind: 'checked';
      mode: 'full' | 'delta';
      /** The tenant's first good scan: its findings a baseline (scanTenant's doc). */
      baseline: boolean;
      resynced: boolean;
      applications: number;
      servicePrincipals: number;
      findings: number;
      counts: FindingCounts;
      events: number;
    }
  | { kind: 'unchecked'; failure: ReadFailure; keptFindings: number }
  | { kind: 'busy'; until: string };

/**
 * Scans one tenant: reads its directory (first, full or delta), judges every credential, compares with
 * the last good findings, publishes what changed, then stores findings and delta links. A tenant that
 * cannot be read gets `scan.failed` and keeps its last good findings: never an empty all-clear.
 * The first good scan of a tenant is a baseline, not news (recordBaseline.ts): its findings are stored
 * while the directory is read, and published as one event each only for those that need action now.
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
  // The lease in two steps: the state is read, then the claim over the row as read goes beside Graph's
  // first requests and the last findings' read, not before them. Nothing is written or published until it is taken.
  const found = await deps.state.read(target.tenantId, now, holder);
  if (found.kind === 'busy') return { kind: 'busy', until: found.until };
  const claim = found.claim();
  claim.catch(() => undefined);
  const state = found.state;
  let next: ScanState = state;
  /** A quiet scan's `scan.completed`, still being published: the state is saved beside it (recordScan). */
  let publishing: Promise<void> | undefined;
  deps.intel.recall({ usageReport: state.usageReport, tenantApplications: state.tenantApplications });
  const request = chooseReadRequest(state, policy, now);
  const pager = startedPager(deps.pager, request);
  try {
    // A delta judges with the policies and federated apps the last read kept while they are fresh; a
    // full read judges at least Vigil's own app, so it reads them afresh beside its first page.
    const kept = request.mode === 'delta' ? freshIntelligence(state.intelligence, policy, now) : undefined;
    let readNow: KeptIntelligence | undefined;
    const intelligence = onceSucceeded(async () => {
      if (kept) return kept;
      const context = await deps.intel.context();
      readNow = { readAt: toIsoUtc(now), context };
      return context;
    });
    if (request.mode !== 'delta') intelligence().catch(() => undefined);
    // Rows an earlier version stored are brought into the store's layout once, under the lease; the state then
    // says so. A tenant without a state row has nothing stored to read (StateRead).
    const upgrade = (state.findingsLayout ?? 0) < deps.findings.layout;
    const keptFindings = async () => {
      if (!found.stored) return undefined;
      if (!upgrade) return deps.findings.kept(target.tenantId, { upgrade });
      return (await claim).kind === 'acquired' ? deps.findings.kept(target.tenantId, { upgrade }) : undefined;
    };
    const [claimed, stored, vaultEntries, upcoming] = await Promise.all([
      claim,
      keptFindings(),
      deps.vaultIndex.list(target.tenantId),
      found.stored ? deps.upcoming.list(target.tenantId) : [],
    ]);
    if (claimed.kind === 'busy') return { kind: 'busy', until: claimed.until };
    // Kept whether or not the scan succeeds: what a read saw of the usage report's size stays true.
    const keptOnState = () => ({ findingsLayout: deps.findings.layout, usageReport: deps.intel.knownUsageReport() });
    const previous = lastGoodFindings(stored, request.mode, now);
    const watched = new Set([...(stored?.watchedObjects ?? []), ...upcoming.map((f) => f.objectId)]);
    const judge: Judge = {
      context: { tenantId: target.tenantId, portal: target.portal, copyOf: copyLookup(vaultEntries) },
      intelligence,
      keptInVault: keptInVaultLookup(vaultEntries),
      policy,
      now,
      watched,
      upcomingUntilMs: upcomingUntilMs(policy, now.toMillis()),
    };
    const baseline = state.lastSuccessAt === undefined ? new FindingTally(policy.firstScanItems) : undefined;
    const writer = baseline && deps.findings.open(previous);
    // A full read judges its findings with their evidence (usage, owners, advice) as it reads its pages, the
    // evidence of a few pages' findings read together in requests of 15 apps: a first scan then stores them
    // at once; a later one compares each with the last good one at once, keeping only what changed.
    const streamed = !baseline && request.mode !== 'delta' ? streamFindings(previous) : undefined;
    const take =
      writer && baseline
        ? async (judged: Finding[]) => {
            baseline.add(judged);
            await writer.put(judged);
          }
        : streamed &&
          (async (judged: Finding[], before: ReadonlyArray<Finding | undefined>) => {
            streamed.take(judged, before);
          });
    const evidence =
      take && batchEvidence(deps.intel, { vaultEntries, unusedAfterDays: policy.unusedAfterDays, nowMs: now.toMillis(), previous }, take);
    // The directory reads applications and service principals beside each other: the applications' last few findings are
    // asked for as their last page is read, beside the service principals' pages, not after the whole directory.
    const sink =
      evidence &&
      (async (found: Finding[], page: PageCounts) => {
        await evidence.add(found);
        if (page.ends === 'application') await evidence.flush();
      });
    // A full read samples its pages' share of apps with findings as it goes: where it points to reading
    // the whole tenant's owners or usage, that read runs beside the directory's pages instead of after them.
    const observe =
      request.mode === 'delta'
        ? undefined
        : (found: readonly Finding[], page: { applications: number }) =>
            deps.intel.anticipate({ applications: page.applications, ...evidenceAsked(found) });
    const { read, resynced } = await readWithResync(pager, request, judge, sink, observe)
      .then(async (result) => {
        if (result.read.kind === 'read') await evidence?.flush();
        return result;
      })
      .catch(async (error: unknown) => {
        await writer?.close().catch(() => undefined);
        throw error;
      });
    if (read.kind === 'failed') {
      // A good first scan's last writes land while it announces (recordBaseline); a failed one waits for them here.
      await writer?.close();
      next = { ...(await recordFailure(target, deps, state, read.failure, now)), ...keptOnState() };
      return { kind: 'unchecked', failure: read.failure, keptFindings: previous.size };
    }
    const scanned = { read, previous, upcoming, vaultEntries, judge, streamed };
    const recorded = baseline
      ? await recordBaseline(target, deps, state, scanned, { tally: baseline, writer })
      : await recordScan(target, deps, state, scanned);
    next = { ...recorded.state, intelligence: readNow ?? state.intelligence, ...keptOnState() };
    publishing = recorded.publishing;
    return {
      kind: 'checked',
      mode: read.mode,
      baseline: baseline !== undefined,
      resynced,
      applications: read.applications,
      servicePrincipals: read.servicePrincipals,
      findings: recorded.findings,
      counts: recorded.counts,
      events: recorded.events,
    };
  } finally {
    // A read started beside the claim and never continued (the claim or a list failed) is closed, not left running.
    pager.abandon();
    // Released only if taken: a lost claim leaves the tenant to its holder; a claim taken while a list failed is freed.
    // A quiet scan's state is saved beside its `scan.completed` (recordScan); the scan fails if either does.
    const held = await claim.catch(() => undefined);
    if (held?.kind === 'acquired') await Promise.all([deps.state.release(held.lease, next), publishing]);
  }
}

/** A refused delta link means Graph lost track: read everything again with a first delta round. */
async function readWithResync(
  pager: DirectoryPager,
  request: ReadRequest,
  judge: Judge,
  sink: FindingSink | undefined,
  observe: Parameters<typeof readDirectory>[4],
): Promise<{ read: DirectoryRead | { kind: 'failed'; failure: ReadFailure }; resynced: boolean }> {
  const first = await readDirectory(pager, request, judge, sink, observe);
  if (first.kind !== 'deltaRefused') return { read: first, resynced: false };
  const again = await readDirectory(pager, { mode: 'initial' }, judge, sink, observe);
  if (again.kind !== 'deltaRefused') return { read: again, resynced: true };
  return {
    read: { kind: 'failed', failure: { code: 'incomplete', reason: `Graph refused a first delta round: ${again.reason}` } },
    resynced: true,
  };
}

async function recordFailure(
  target: ScanTarget,
  deps: ScanDependencies,
  state: ScanState,
  failure: ReadFailure,
  now: DateTime,
): Promise<ScanState> {
  const since = state.failingSince ?? toIsoUtc(now);
  const known = state.failure?.code === failure.code && state.failure.missingPermission === failure.missingPermission;
  // Said once per kind of failure; the notification pipeline reminds while it lasts.
  if (!known) await deps.events.publish([toScanFailedEvent(target, failure, since, now)]);
  return { ...state, failingSince: since, failure };
}

/**
 * The last good findings, each seen as of `now` (asOf). A delta reads every one now, once, while Graph answers
 * its pages: after the last answer it judges each again, carries its evidence over and compares it, and read
 * as needed each was parsed five times there. A full read reads each as it needs it.
 */
function lastGoodFindings(stored: KeptFindings | undefined, mode: ReadRequest['mode'], now: DateTime): ReadonlyMap<string, Finding> {
  if (!stored) return new Map();
  const seen = (f: Finding) => asOf(f, now);
  return mode === 'delta' ? stored.readAll(seen) : stored.seenAs(seen);
}
