import { DateTime } from 'luxon';
import type { CredentialFacts } from '../../../shared/scanner/Finding.js';
import type { Judge } from '../../../shared/scanner/readDirectory.js';
import type { ScanPolicy } from '../../../shared/scanner/ScanPolicy.js';
import type { ScanTarget } from '../../../shared/scanner/ScanTarget.js';
import { upcomingUntilMs } from '../../../shared/scanner/upcomingCrossings.js';

export const NOW = DateTime.fromISO('2026-11-23T12:00:00Z', { zone: 'utc' });
export const policy: ScanPolicy = {
  thresholdsDays: [60, 30, 14, 7, 3, 1],
  staleAfterDays: 30,
  fullScanEveryHours: 24,
  firstScanItems: 25,
  unusedAfterDays: 30,
  secretMaxLifetimeDays: 180,
};

/** A judge at NOW with no policies read, no federated apps, no vault copies and nothing watched. */
export const judge: Judge = {
  context: { tenantId: 'tenant', portal: 'https://entra.microsoft.com', copyOf: () => undefined },
  intelligence: async () => ({ policies: { kind: 'unavailable', reason: 'not read in this test' }, federatedApps: new Set() }),
  keptInVault: () => false,
  policy,
  now: NOW,
  watched: new Set(),
  upcomingUntilMs: upcomingUntilMs(policy, NOW.toMillis()),
};

/** The tenant the facts below belong to, as the scanner sees it. */
export const target: ScanTarget = {
  tenantId: 't1',
  displayName: 'Contoso',
  portal: 'https://portal.azure.com',
  vaultHome: { tenantId: 't1', portal: 'https://portal.azure.com' },
  routing: {},
};

/** An ISO instant `days` from NOW (negative: in the past). */
export const inDays = (days: number): string => NOW.plus({ days }).toISO()!;

export function facts(overrides: Partial<CredentialFacts> = {}): CredentialFacts {
  return {
    tenantId: 't1',
    subjectKind: 'application',
    objectId: 'obj-1',
    appId: 'app-1',
    subjectName: 'Creatio CRM',
    keyId: 'key-1',
    credentialType: 'password',
    credentialName: 'creatio-prod',
    startDateTime: inDays(-170),
    endDateTime: inDays(10),
    outlivedBy: null,
    vaultCopy: null,
    portalUrl: 'https://portal.azure.com/#view/x',
    federated: false,
    ...overrides,
  };
}
