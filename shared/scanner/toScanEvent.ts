import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { ReadFailure } from './DirectoryPager.js';
import type { ScanState } from './ScanPorts.js';
import type { ScanTarget } from './ScanTarget.js';

const fixes: Record<ReadFailure['code'], string> = {
  authentication: "Check the credential Vigil uses for this tenant (its secret or certificate, and the app's consent there).",
  forbidden: 'Grant the missing application permission to Vigil in this tenant and give admin consent.',
  throttled: "Nothing, if it passes on the next run; otherwise look for another app using up the tenant's Graph quota.",
  incomplete: 'Nothing, if it passes on the next run; otherwise check Graph service health for the tenant.',
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
