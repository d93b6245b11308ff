import { describe, expect, it } from 'vitest';
import { checkPagerDutyEvent } from '../../../local/cloud/sinks/checkPagerDutyEvent.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { pagerDutyActionOf, toPagerDutyEvent } from '../../../shared/notifications/toPagerDutyEvent.js';
import { expiring, NOW, rotated, signInRefused, TENANT, tokenRefreshed, itemOf } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', publicBaseUrl: 'https://vigil.contoso.com', timeZone: 'UTC' };
const item = itemOf;
const routingKey = 'R0123456789abcdef0123456789abcde';
const accepted = (event: Record<string, unknown> | undefined) => checkPagerDutyEvent(JSON.stringify({ routing_key: routingKey, ...event }));

describe('toPagerDutyEvent', () => {
  it("triggers a finding's alert under its finding id, with links to the status page and the portal, as PagerDuty accepts it", () => {
    const event = expiring({ severity: 'critical' });
    const pd = toPagerDutyEvent(item(event), render, NOW);
    expect(accepted(pd)).toMatchObject({ kind: 'accepted' });
    expect(pd).toMatchObject({
      event_action: 'trigger',
      dedup_key: findingOf(event).id,
      client: 'Vigil',
      client_url: `https://vigil.contoso.com/api/dashboard?tenant=${TENANT}#${findingOf(event).id}`,
      payload: {
        summary: expect.stringMatching(/^Creatio CRM client secret “prod”: expires in 10 days \(.*\)\. The client secret/),
        severity: 'critical',
        source: `Creatio CRM (tenant ${TENANT})`,
        class: 'credential.expiring',
        custom_details: expect.objectContaining({ finding: findingOf(event).id, fix: expect.any(String) }),
      },
      links: expect.arrayContaining([
        { href: expect.stringContaining('portal.azure.com'), text: 'Open in the Azure portal' },
        { href: expect.stringContaining('vigil.contoso.com'), text: 'Vigil status page' },
      ]),
    });
  });

  it("maps Vigil's severities onto PagerDuty's four and keeps the summary within 1,024 characters", () => {
    const severities = (['critical', 'high', 'medium', 'low'] as const).map(
      (severity) => (toPagerDutyEvent(item(expiring({ severity })), render, NOW)!['payload'] as { severity: string }).severity,
    );
    expect(severities).toEqual(['critical', 'error', 'warning', 'warning']);
    const long = { ...expiring(), summary: 'z'.repeat(3000) };
    const pd = toPagerDutyEvent(item(long), render, NOW)!;
    expect((pd['payload'] as { summary: string }).summary).toHaveLength(1024);
    expect(accepted(pd)).toMatchObject({ kind: 'accepted' });
  });

  it('resolves the same alert when the finding recovers', () => {
    const opened = expiring();
    const fixed = rotated();
    expect(findingOf(fixed).id).toBe(findingOf(opened).id);
    const pd = toPagerDutyEvent(item(fixed, 'recovered'), render, NOW);
    expect(pd).toEqual({ event_action: 'resolve', dedup_key: findingOf(opened).id });
    expect(accepted(pd)).toMatchObject({ kind: 'accepted' });
  });

  it('leaves the alert open for a recovery sent as part of an update Vigil could not store whole', () => {
    expect(toPagerDutyEvent({ ...item(rotated(), 'recovered'), heldInPart: true }, render, NOW)).toBeUndefined();
  });

  it('pages nobody for hygiene, records or one-off notices, which nothing would resolve', () => {
    expect(pagerDutyActionOf(item(expiring({ daysLeft: -3, overlap: true })))).toBeUndefined();
    expect(pagerDutyActionOf(item(tokenRefreshed(), 'info'))).toBeUndefined();
    expect(pagerDutyActionOf(item(signInRefused()))).toBeUndefined();
    expect(pagerDutyActionOf(item(expiring(), 'reminder'))).toBe('trigger');
  });
});
