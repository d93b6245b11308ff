import { describe, expect, it } from 'vitest';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import { toMailDigest } from '../../../shared/notifications/toMailDigest.js';
import { expiring, rotated, tokenFailed, NOW } from './notificationFixtures.js';

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
      '  Portal: https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/b0000000-0000-4000-8000-000000000001',
    );
  });

  it('escapes display names and other event text', () => {
    const hostile = expiring({ app: '<img src=x onerror=alert(1)> & "Co"' });
    const { html } = toMailDigest('ops', [{ findingId: findingOf(hostile).id, reason: 'new', event: hostile }], render, NOW);
    expect(html).not.toContain('<img');
    expect(html).toContain('<b>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;</b>');
  });
});
