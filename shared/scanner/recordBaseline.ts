import { firstNoticeOf } from './diffFindings.js';
import type { Finding } from './Finding.js';
import { findingKey } from './Finding.js';
import { judgeAll } from './judgeAll.js';
import { lastScanOf, succeeded, type Recorded, type Scanned } from './recordScan.js';
import type { FindingWriter, ScanDependencies, ScanState } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';
import type { FindingTally } from './tallyFindings.js';
import { toCredentialEvent } from './toCredentialEvent.js';
import { toScanBaselineEvent, toScanCompletedEvent, toScanRecoveredEvent } from './toScanEvent.js';
import { diffUpcoming, nextUpcoming } from './upcomingCrossings.js';

/**
 * A tenant's first good scan: a baseline, not news. Its findings were stored while the directory was
 * read (`tally` counted them); left to do are the vault's own expiring secrets and the rows an earlier,
 * failed attempt left that are no longer current. Then it announces: every finding that needs action
 * now in its own event (reminders, snoozes, a ticket each), the others too while there are at most
 * `firstScanItems` of them, else one `scan.baseline` that counts them and names the most urgent. Each of
 * those is announced on its own once it needs action, as the ladder moves it up.
 * Announced while the last findings are stored (`writer` closing), not after, unless it announces a
 * `scan.baseline`, which names the stored list: if storing or publishing fails, the state is not saved,
 * the next run is a first scan again that stores and announces again, and each route still hears each
 * event once (dedupe key), as after later scans, which publish first.
 */
export async function recordBaseline(
  target: ScanTarget,
  deps: ScanDependencies,
  state: ScanState,
  scanned: Scanned,
  { tally, writer }: { tally: FindingTally; writer: FindingWriter | undefined },
): Promise<Recorded> {
  const { read, previous, judge } = scanned;
  const now = judge.now;
  const vault = [...judgeAll(read, { findings: new Map(), upcoming: [] }, scanned.vaultEntries, target.vaultHome, judge).values()];
  tally.add(vault);
  const gone = [...previous.values()].filter((f: Finding) => !tally.keys.has(findingKey(f)));
  const scan = lastScanOf(read, tally.keys.size, tally.counts, deps, now);
  const notices = tally.announced.flatMap((f) => firstNoticeOf(f) ?? []);
  const summary = tally.summarises && tally.later.count > 0 ? [toScanBaselineEvent(target, scan, tally, now)] : [];
  const recovered = state.failingSince ? [toScanRecoveredEvent(target, state.failingSince, now)] : [];
  const events = [
    ...notices.map((n) => toCredentialEvent(n, target, now)),
    ...summary,
    ...recovered,
    toScanCompletedEvent(target, scan, now),
  ];
  // The writer's findings, the vault's and the rows gone are all different findings, and a first scan that
  // fails is followed by another full first read, which needs neither the stored findings nor the upcoming
  // crossings to find a credential: none of these writes waits for another (recordScan's keep their order).
  const stored = Promise.all([
    writer?.close(),
    deps.findings.apply(target.tenantId, { upserts: vault, removals: gone, before: previous }),
    deps.upcoming.apply(target.tenantId, diffUpcoming(scanned.upcoming, nextUpcoming(read, scanned.upcoming, new Map()))),
  ]);
  // A scan.baseline names the stored list its readers fetch (`data.list`), and is sent once a day: it waits
  // for the list. Events that carry their own findings go while the findings are stored.
  if (summary.length > 0) await stored.then(() => deps.events.publish(events));
  else await Promise.all([stored, deps.events.publish(events)]);
  return { state: succeeded(target, state, read, scan), findings: tally.keys.size, counts: tally.counts, events: events.length };
}
