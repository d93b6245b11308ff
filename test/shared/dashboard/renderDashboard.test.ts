import { describe, expect, it } from 'vitest';
import type { DashboardView } from '../../../shared/dashboard/DashboardView.js';
import { renderDashboard } from '../../../shared/dashboard/renderDashboard.js';
import { toDashboardCsv } from '../../../shared/dashboard/toDashboardCsv.js';

const view = (over: Partial<DashboardView> = {}): DashboardView => ({
  generatedAt: '2026-11-23T06:00:00.000Z',
  filters: {},
  tenants: [{ id: 't1', name: 'Contoso' }],
  health: [
    { kind: 'tenant', name: 'Contoso', lastRun: '2026-11-23T05:00:00.000Z', status: 'ok', detail: undefined, failingSince: undefined },
  ],
  credentials: [],
  moreCredentials: false,
  counts: { bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, byTenant: [], uncounted: [] },
  endingByWeek: Array.from({ length: 13 }, () => 0),
  hygiene: [],
  connections: [],
  rotations: [],
  snoozed: [],
  deliveries: [],
  poisonDepth: 0,
  ...over,
});
const credential = {
  findingId: 'f-0123456789abcdef0123',
  tenantId: 't1',
  tenantName: 'Contoso',
  objectKind: 'application' as const,
  credentialType: 'password',
  displayName: 'prod',
  endDateTime: '2026-12-03T00:00:00Z',
  overlap: false,
  owner: undefined,
  portalUrl: 'https://portal.azure.com/x',
  usage: undefined,
  advice: undefined,
  impact: undefined,
};

const forms = { snooze: 'snooze-token', reconnect: 'reconnect-token' };
const revoked = {
  name: 'uipath-mailbox',
  vault: 'https://kv',
  status: 'failing',
  failureClass: 'revoked',
  code: 'AADSTS50173',
  remediation: 'The owner signs in again.',
  lastSuccess: undefined,
  expectedLapse: undefined,
  lapseCause: undefined,
  reconnectable: true,
};
const snoozedRow = { findingId: 'f-00000000000000000001', finding: 'UiPath', reason: 'booked', by: 'ana', until: '2026-12-01T00:00:00Z' };

describe('renderDashboard forms', () => {
  it("offers snooze, unsnooze and reconnect forms with the caller's tokens and the page filters, posting to the form routes", () => {
    const html = renderDashboard(
      view({
        filters: { tenant: 't1', severity: 'high' },
        credentials: [{ ...credential, app: 'Creatio CRM', daysLeft: 5, severity: 'high' }],
        connections: [revoked],
        snoozed: [snoozedRow],
        forms,
      }),
      '',
    );
    const forms_ = html.match(/<form method="post"[^]*?<\/form>/g) ?? [];
    expect(forms_).toHaveLength(3);
    const [snooze, reconnect, unsnooze] = forms_ as [string, string, string];
    expect(snooze).toContain('action="dashboard/snooze"');
    expect(snooze).toContain('<input type="hidden" name="token" value="snooze-token">');
    expect(snooze).toContain('<input type="hidden" name="finding" value="f-0123456789abcdef0123">');
    expect(snooze).toContain('<input type="hidden" name="tenant" value="t1"><input type="hidden" name="severity" value="high">');
    expect(snooze).toMatch(/name="reason" required/);
    expect(snooze).toContain('<button type="submit" name="days" value="7">Snooze 7 days</button>');
    expect(snooze).toContain('value="30">Snooze 30 days');
    expect(reconnect).toContain('action="dashboard/reconnect"');
    expect(reconnect).toContain('value="reconnect-token"');
    expect(reconnect).toContain('<input type="hidden" name="name" value="uipath-mailbox">');
    expect(unsnooze).toContain('<input type="hidden" name="action" value="unsnooze">');
    expect(unsnooze).toContain('value="f-00000000000000000001"');
  });

  it('shows no form to a caller who may not act, and says a sign-in fixes the connection', () => {
    const html = renderDashboard(
      view({
        credentials: [{ ...credential, app: 'Creatio CRM', daysLeft: 5, severity: 'high' }],
        connections: [revoked],
        snoozed: [snoozedRow],
      }),
      '',
    );
    expect(html).not.toContain('<form method="post"');
    expect(html).not.toContain('name="token"');
    expect(html).toContain('A new sign-in by its owner fixes it');
  });

  it('shows what the last form post did from fixed sentences, the ids escaped', () => {
    const limits = { maxDays: 90, expiryMarginDays: 7 };
    const snoozed = renderDashboard(
      view({ notice: { said: { code: 'snoozed', about: 'f-00000000000000000001', until: '2026-12-01' }, snoozeLimits: limits } }),
      '',
    );
    expect(snoozed).toMatch(/<p id="notice" role="status" class="ok">Snoozed <code>f-00000000000000000001<\/code> until 2026-12-01/);
    const refused = renderDashboard(
      view({ notice: { said: { code: 'snoozeRefused', about: 'f-1', until: undefined }, snoozeLimits: limits } }),
      '',
    );
    expect(refused).toContain(
      'class="attention">Did not snooze <code>f-1</code>: a snooze lasts at most 90 days and ends at most 7 days after',
    );
  });
});

describe('renderDashboard', () => {
  it('gives each credential row its finding id: where a notification links (#id), and what the snooze API takes', () => {
    const html = renderDashboard(view({ credentials: [{ ...credential, app: 'Creatio CRM', daysLeft: 5, severity: 'high' }] }), '');
    expect(html).toContain('<span id="f-0123456789abcdef0123">Creatio CRM</span>');
    expect(html).toContain('<code>f-0123456789abcdef0123</code>');
  });

  it('says all clear only when every source was checked and nothing needs action', () => {
    expect(renderDashboard(view(), '?format=csv')).toContain('All clear');
    const failed = renderDashboard(
      view({
        health: [
          {
            kind: 'tenant',
            name: 'Fabrikam',
            lastRun: undefined,
            status: 'failed',
            detail: 'missing Application.Read.All',
            failingSince: '2026-11-20T00:00:00Z',
          },
        ],
      }),
      '',
    );
    expect(failed).not.toContain('All clear');
    expect(failed).toContain('could not check since 2026-11-20 00:00 UTC');
    expect(failed).toContain('missing Application.Read.All');
  });

  it('escapes every display name', () => {
    const html = renderDashboard(
      view({ credentials: [{ ...credential, app: '<script>alert(1)</script>', daysLeft: 3, severity: 'high' }] }),
      '',
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('groups credentials by days left and marks the last valid credential in words', () => {
    const html = renderDashboard(
      view({
        credentials: [
          { ...credential, app: 'Creatio', daysLeft: 10, severity: 'high' },
          { ...credential, app: 'Courier', daysLeft: -12, severity: 'critical', overlap: true },
        ],
      }),
      '',
    );
    expect(html.indexOf('<h3>Expired</h3>')).toBeLessThan(html.indexOf('<h3>30 days or less</h3>'));
    expect(html).toContain('last valid credential');
    expect(html).toContain('12 days ago');
  });

  it('shows usage, advice and what breaks on a credential, and hygiene apart from what needs action', () => {
    const html = renderDashboard(
      view({
        credentials: [
          {
            ...credential,
            app: 'Creatio',
            daysLeft: 10,
            severity: 'low',
            usage: 'unused for 45 days',
            advice: { text: 'Unused: let it lapse or remove it, do not rotate.', reason: 'No sign-in with it in 45 days.' },
            impact: 'connection Cerb (downstream Cerb CRM)',
          },
        ],
        hygiene: [
          {
            tenantName: 'Contoso',
            app: 'Billing',
            credentialType: 'client secret',
            displayName: 'old',
            check: 'expiredLeftOnApp',
            reason: 'Expired 40 days ago and still on the app.',
            portalUrl: undefined,
          },
        ],
        connections: [
          {
            name: 'cerb',
            vault: 'https://kv',
            status: 'healthy',
            failureClass: undefined,
            code: undefined,
            remediation: undefined,
            lastSuccess: '2026-11-23T05:00:00.000Z',
            expectedLapse: '2026-11-30T00:00:00.000Z',
            lapseCause: 'clientSecret',
            reconnectable: false,
          },
        ],
      }),
      '',
    );
    const needsAction = html.slice(html.indexOf('id="needs-action"'), html.indexOf('id="tidy-up"'));
    expect(needsAction).toContain('unused for 45 days');
    expect(needsAction).toContain('do not rotate');
    expect(needsAction).toContain('Cerb CRM');
    expect(needsAction).toContain('2026-11-30 00:00 UTC (client secret ends)');
    expect(needsAction).not.toContain('Expired 40 days ago');
    expect(html.slice(html.indexOf('id="tidy-up"'))).toContain('Expired 40 days ago and still on the app.');
  });
});

describe('toDashboardCsv', () => {
  it('quotes fields and defuses formulas', () => {
    const csv = toDashboardCsv(view({ credentials: [{ ...credential, app: '=HYPERLINK("x")', daysLeft: 5, severity: 'high' }] }));
    expect(csv.split('\r\n')[0]).toBe('section,tenant,name,type,status,severity,days_left,ends,overlap,detail,usage,advice,impact');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('shows counts per tenant and severity, each a link to its full list, and says when only the most urgent are listed', () => {
    const bySeverity = { critical: 2, high: 0, medium: 7, low: 1200, info: 3 };
    const html = renderDashboard(
      view({
        counts: { bySeverity, byTenant: [{ id: 't1', name: 'Contoso', bySeverity }], uncounted: ['Fabrikam'] },
        credentials: [{ ...credential, app: 'Creatio', daysLeft: 1, severity: 'critical' }],
        moreCredentials: true,
      }),
      '',
    );
    expect(html).toContain('<a href="findings?tenant=t1&amp;severity=low&amp;format=csv">1,200</a>');
    expect(html).toContain('Not counted (no good scan with counts yet): Fabrikam.');
    expect(html).toContain('most urgent are shown');
    expect(html).toContain('1209 items need action');
  });
});
