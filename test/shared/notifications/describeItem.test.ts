import { describe, expect, it } from 'vitest';
import { newEvent } from '../../../shared/events/newEvent.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { describeItem, permissionGuides } from '../../../shared/notifications/describeItem.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { expiring, NOW, TENANT } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', runbookUrl: 'https://wiki.contoso.com/rotate', timeZone: 'UTC' };
const view = (event: VigilEvent, reason: 'new' | 'recovered' = 'new') =>
  describeItem({ findingId: findingOf(event).id, reason, event }, render, NOW);

const scanFailed = (missingPermission?: string) =>
  newEvent(
    {
      type: 'scan.failed',
      tenantId: TENANT,
      subject: { kind: 'tenant', id: TENANT, displayName: 'Contoso' },
      severity: 'high',
      summary: 'Vigil could not read the app registrations of Contoso.',
      dedupeKey: `scan.failed|${TENANT}|forbidden`,
      data: { reason: 'HTTP 403', since: NOW.toISO()!, ...(missingPermission ? { missingPermission } : {}) },
    },
    NOW,
  );

describe('describeItem', () => {
  it('names a scan failure in words, and links the permission guide instead of the rotation runbook', () => {
    const v = view(scanFailed('Application.Read.All'));
    expect(v.what).toBe('directory scan failed');
    expect(v.links).toEqual([
      {
        title: 'Open in the Azure portal',
        url: `https://portal.azure.com/#@${TENANT}/view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps`,
      },
      permissionGuides.graph,
    ]);
    expect(view(scanFailed()).links.map((l) => l.title)).toEqual(['Open in the Azure portal']);
  });

  it('links the runbook for a credential to renew, and a tenant-less fallback portal link names the tenant', () => {
    expect(view(expiring()).links.map((l) => l.title)).toEqual(['Open in the Azure portal', 'Rotation runbook']);
    expect(view(scanFailed()).portalUrl).toContain(`/#@${TENANT}/`);
  });

  it('reads a removed credential as removed, not as expired so many days ago', () => {
    const lapsed = expiring({ daysLeft: -12 });
    if (lapsed.type !== 'credential.expired') throw new Error('fixture');
    const removed = newEvent(
      {
        ...lapsed,
        type: 'credential.removed',
        severity: 'info',
        summary: 'The client secret “prod” of Creatio CRM was removed; nothing is left to renew.',
        dedupeKey: 'credential.removed|x',
        data: { ...lapsed.data, status: 'expired', objectDeleted: false },
      },
      NOW,
    );
    const v = view(removed, 'recovered');
    expect(v.when).toBe('removed 23 Nov 2026 06:00 UTC');
    expect(v.headline).toBe('The client secret “prod” of Creatio CRM was removed; nothing is left to renew');
    expect(`${v.when} ${v.headline}`).not.toContain('expired');
    expect(v.links.map((l) => l.title)).toEqual(['Open in the Azure portal']);
  });
});
