import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { toMailDigest } from '../../../shared/notifications/toMailDigest.js';
import { expiring, rotated, tokenFailed, NOW, TENANT } from './notificationFixtures.js';

const render = { portalBase: 'https://portal.azure.com', runbookUrl: 'https://wiki.contoso.com/rotate', timeZone: 'Europe/Amsterdam' };

describe('toMailDigest', () => {
  const items = [
    { findingId: findingOf(expiring()).id, reason: 'new' as const, event: expiring({ daysLeft: 10 }) },
    { findingId: findingOf(tokenFailed()).id, reason: 'reminder' as const, event: tokenFailed() },
    { findingId: 'f-00000000000000000000', reason: 'recovered' as const, event: rotated({ app: 'UiPath', appObjectId: 'a-2' }) },
  ];

  it('says in the subject what needs action by severity and names the most urgent item', () => {
    expect(toMailDigest('ops', items, render, NOW).subject).toBe(
      '[Vigil] 2 need action (1 critical, 1 high) — The refresh token of cerb-helpdesk-mailbox was revoked, +1 · 1 resolved',
    );
  });

  it('groups by severity, colour-coded, with days left, impact, fix and links', () => {
    const { html, text } = toMailDigest('ops', items, render, NOW);
    expect(html.indexOf('Critical (1)')).toBeLessThan(html.indexOf('High (1)'));
    expect(html.indexOf('High (1)')).toBeLessThan(html.indexOf('Resolved (1)'));
    expect(html).toContain('border-left:4px solid #a4262c');
    expect(html).toContain('expires in 10 days (3 Dec 2026 07:00 Europe/Amsterdam)');
    expect(html).toContain('<b>Fix:</b> Add a new client secret');
    expect(html).toContain('<a href="https://wiki.contoso.com/rotate">Rotation runbook</a>');
    expect(text).toContain('== CRITICAL (1) ==');
    expect(text).toContain('* Creatio CRM — client secret “prod” — expires in 10 days (3 Dec 2026 07:00 Europe/Amsterdam)');
    expect(text).toContain(
      '  Open in the Azure portal: https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/b0000000-0000-4000-8000-000000000001',
    );
  });

  it('links each item to its finding on the status page, and the digest to the page', () => {
    const { html, text } = toMailDigest('ops', items, { ...render, publicBaseUrl: 'https://vigil.contoso.com' }, NOW);
    const finding = `https://vigil.contoso.com/api/dashboard?tenant=${items[0]!.event.tenantId}#${items[0]!.findingId}`;
    expect(html).toContain(`<a href="${finding}">Vigil status page</a>`);
    expect(text).toContain(`  Vigil status page: ${finding}`);
    expect(text).toContain('Status page: https://vigil.contoso.com/api/dashboard\n');
    expect(toMailDigest('ops', items, render, NOW).html).not.toContain('/api/dashboard');
  });

  it('escapes display names and other event text', () => {
    const hostile = expiring({ app: '<img src=x onerror=alert(1)> & "Co"' });
    const { html } = toMailDigest('ops', [{ findingId: findingOf(hostile).id, reason: 'new', event: hostile }], render, NOW);
    expect(html).not.toContain('<img');
    expect(html).toContain('<b>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;</b>');
  });

  it('says in the digest, with the status page, and on the item that a part of an update may not be the latest state', () => {
    const part = { ...items[0]!, heldInPart: true as const };
    const { html, text } = toMailDigest('ops', [part, items[1]!], { ...render, publicBaseUrl: 'https://vigil.contoso.com' }, NOW);
    const notice = 'Part of an update Vigil could not store whole: the items marked “Part of an update” may not show the latest state.';
    expect(html).toContain(
      `<b>${notice} See Vigil&#39;s status page.</b> <a href="https://vigil.contoso.com/api/dashboard?tenant=${TENANT}">`,
    );
    expect(html).toContain('<b>Part of an update:</b> Vigil could not store this update whole: this may not be the latest state');
    expect(text).toContain(`!! ${notice} See Vigil's status page. https://vigil.contoso.com/api/dashboard?tenant=${TENANT}\n`);
    expect(text.match(/ {2}Part of an update: /g)).toHaveLength(1);
    expect(toMailDigest('ops', items, render, NOW).text).not.toContain('Part of an update');
  });

  it('never shows a recovery sent as part of an update as resolved: its state is uncertain', () => {
    const part = { ...items[2]!, heldInPart: true as const };
    const { subject, html, text } = toMailDigest('ops', [part], render, NOW);
    expect(subject).toBe('[Vigil] 1 needs action (1 to check) — UiPath client secret “prod”: state uncertain, check the status page');
    expect(html).not.toContain('Resolved');
    expect(text).not.toContain('RESOLVED');
    // Listed as one to check, not under its event's info severity.
    expect(html).toContain('To check (1)</h3>');
    expect(html).not.toContain('Info (1)');
    expect(text).toContain('== TO CHECK (1) ==');
    expect(text).toContain(
      '  State uncertain: Vigil last stored “The client secret of UiPath was replaced.”, but may have missed a later report.',
    );
  });
});
