import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import { severities, type VigilEvent } from '../events/vigilEvent.js';
import { findingIdOfCredential } from '../notifications/findingOf.js';
import type { ReadFailure } from './DirectoryPager.js';
import type { FindingTally } from './tallyFindings.js';
import type { ScanState } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';

const fixes: Record<ReadFailure['code'], string> = {
  authentication: "Check the credential Vigil uses for this tenant (its secret or certificate, and the app's consent there).",
  signInUnavailable:
    "Nothing, if it passes on the next run: Entra's sign-in service was throttling or failing, not Vigil's credential. If it lasts, check Entra's service health and other apps signing in as Vigil's identity.",
  forbidden: 'Grant the missing application permission to Vigil in this tenant and give admin consent.',
  throttled: "Nothing, if it passes on the next run; otherwise look for another app using up the tenant's Graph quota.",
  incomplete: 'Nothing, if it passes on the next run; otherwise check Graph service health for the tenant.',
  vigilFault:
    "Check Vigil's cloud endpoint settings (the login and Graph hosts), then Vigil's logs in Application Insights, where each instance logs the fault's trace at most once an hour (docs/deploy.md, 'Requests Vigil could not make'): this fails on every run until Vigil or its settings are fixed.",
};

const base = (target: ScanTarget) => ({
  tenantId: target.tenantId,
  subject: { kind: 'tenant' as const, id: target.tenantId, displayName: target.displayName },
  routing: {
    ...(target.routing.owner ? { owner: target.routing.owner } : {}),
    ...(target.routing.team ? { team: target.routing.team } : {}),
    tags: {},
  },
});

/** "Could not check" reaches a person like an expiring secret: the last good findings still stand, but nothing new is known. */
export function toScanFailedEvent(target: ScanTarget, failure: ReadFailure, since: string, now: DateTime): VigilEvent {
  const permission = failure.missingPermission ? ` Missing permission: ${failure.missingPermission}.` : '';
  return newEvent(
    {
      ...base(target),
      type: 'scan.failed',
      severity: 'high',
      summary: `Vigil could not check the credentials of tenant ${target.displayName}: ${failure.reason}.${permission}`,
      impact: 'Credentials in this tenant may expire unnoticed; the findings shown are from the last good scan.',
      fix: fixes[failure.code],
      dedupeKey: ['scan.failed', target.tenantId, target.tenantId, failure.missingPermission ?? '', failure.code].join('|'),
      data: { reason: failure.reason, ...(failure.missingPermission ? { missingPermission: failure.missingPermission } : {}), since },
    },
    now,
  );
}

export function toScanRecoveredEvent(target: ScanTarget, failedSince: string, now: DateTime): VigilEvent {
  return newEvent(
    {
      ...base(target),
      type: 'scan.recovered',
      severity: 'info',
      summary: `Vigil can check tenant ${target.displayName} again.`,
      dedupeKey: ['scan.recovered', target.tenantId, target.tenantId, '', failedSince].join('|'),
      data: { failedSince },
    },
    now,
  );
}

export function toScanCompletedEvent(target: ScanTarget, scan: NonNullable<ScanState['lastScan']>, now: DateTime): VigilEvent {
  const { mode, applications, servicePrincipals, findings, durationMs } = scan;
  return newEvent(
    {
      ...base(target),
      type: 'scan.completed',
      severity: 'info',
      summary: `Scanned tenant ${target.displayName} (${mode}): ${applications} applications, ${servicePrincipals} service principals, ${findings} findings.`,
      dedupeKey: ['scan.completed', target.tenantId, target.tenantId, '', scan.at].join('|'),
      data: { applications, servicePrincipals, findings, durationMs, mode },
    },
    now,
  );
}

const counted = (n: number, what: string) => `${n.toLocaleString('en')} ${what}`;

/**
 * A tenant's first scan, when it found more findings that can wait than it announces one by one: one
 * event counts them and names the most urgent few; each still gets its own event once it needs action.
 * Its severity is the highest among them, so routing rules by severity apply as to the findings.
 */
export function toScanBaselineEvent(
  target: ScanTarget,
  scan: { applications: number; servicePrincipals: number; at: string },
  tally: FindingTally,
  now: DateTime,
): VigilEvent {
  const { later } = tally;
  const severity = [...severities].reverse().find((s) => later.bySeverity[s] > 0) ?? 'info';
  const parts = [
    later.byStatus.expiring > 0 ? counted(later.byStatus.expiring, 'expire in 15 to 60 days or have a newer one beside them') : '',
    later.byStatus.expired > 0 ? counted(later.byStatus.expired, 'expired over a month ago or were replaced') : '',
    later.byStatus.stale > 0 ? counted(later.byStatus.stale, 'are stale leftovers to remove') : '',
  ].filter(Boolean);
  const list = `/api/findings?tenant=${target.tenantId}`;
  return newEvent(
    {
      ...base(target),
      type: 'scan.baseline',
      severity,
      summary:
        `First scan of tenant ${target.displayName}: ${counted(tally.keys.size, 'credentials need attention')}. ` +
        `${counted(tally.announced.length, 'that need action now are announced one by one')}; ` +
        `of the other ${later.count.toLocaleString('en')}, ${parts.join(', ')}.`,
      impact:
        'None of these breaks an app within two weeks: they expire later, a newer credential took over, or they expired over a month ago (their app has failed or been unused since).',
      fix: `Plan the renewals and clean-up from the list: GET ${list}, or the status page. Each credential still to expire is announced on its own once it needs action.`,
      dedupeKey: ['scan.baseline', target.tenantId, target.tenantId, '', scan.at.slice(0, 10)].join('|'),
      data: {
        applications: scan.applications,
        servicePrincipals: scan.servicePrincipals,
        findings: tally.keys.size,
        announced: tally.announced.length,
        later: { count: later.count, bySeverity: { ...later.bySeverity }, byStatus: { ...later.byStatus } },
        mostUrgent: tally.mostUrgentLater.flatMap((f) =>
          f.status === 'hygiene'
            ? []
            : [
                {
                  findingId: findingIdOfCredential(f),
                  subject: { kind: f.subjectKind, id: f.objectId, displayName: f.subjectName, ...(f.appId ? { appId: f.appId } : {}) },
                  keyId: f.keyId,
                  credentialType: f.credentialType,
                  displayName: f.credentialName,
                  endDateTime: f.endDateTime,
                  daysLeft: f.daysLeft,
                  status: f.status,
                  severity: f.severity,
                },
              ],
        ),
        list,
      },
    },
    now,
  );
}
