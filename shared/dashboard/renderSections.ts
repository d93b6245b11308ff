import { severities, type LapseCause } from '../events/vigilEvent.js';
import type { ConnectionRow, CredentialRow, DashboardView, FindingCountsView, HealthRow, HygieneRow } from './DashboardView.js';
import { escapeHtml as e } from '../helpers/escapeHtml.js';
import { reconnectForm, snoozeForm, type FormContext } from './renderForms.js';

const lapseWords: Record<LapseCause, string> = {
  refreshToken: 'refresh token',
  clientSecret: 'client secret',
  clientCertificate: 'certificate',
};
const date = (iso: string | undefined) => (iso ? e(iso.slice(0, 16).replace('T', ' ')) + ' UTC' : '—');

/** A table with a caption and headers; rows are already-escaped cells. */
export function table(caption: string, headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${e(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${e(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table><caption>${e(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The top line: never an all-clear while something could not be checked. */
export function renderHealth(health: readonly HealthRow[], needsAction: number): string {
  const failed = health.filter((h) => h.status !== 'ok');
  const headline =
    failed.length > 0
      ? `<p class="attention" role="alert"><strong>Attention:</strong> ${failed.length} source${failed.length === 1 ? '' : 's'} could not be checked. What Vigil shows for ${failed.length === 1 ? 'it' : 'them'} may be out of date.</p>`
      : needsAction > 0
        ? `<p class="warning"><strong>${needsAction} item${needsAction === 1 ? '' : 's'} need action.</strong> Every source was checked.</p>`
        : health.length > 0
          ? '<p class="ok"><strong>All clear:</strong> every source was checked and nothing needs action.</p>'
          : '<p class="attention" role="alert"><strong>Nothing has been checked yet.</strong></p>';
  const rows = health.map((h) => [
    e(h.kind),
    e(h.name),
    h.status === 'ok'
      ? 'checked'
      : h.status === 'never'
        ? '<strong class="bad">never checked</strong>'
        : `<strong class="bad">could not check${h.failingSince ? ` since ${date(h.failingSince)}` : ''}</strong>`,
    date(h.lastRun),
    e(h.detail ?? ''),
  ]);
  return `<section aria-labelledby="health"><h2 id="health">Health</h2>${headline}${table('Last run per tenant and vault', ['Kind', 'Source', 'Status', 'Last run', 'Detail'], rows, 'No tenant or vault is configured.')}</section>`;
}

const bucketOf = (daysLeft: number) =>
  daysLeft < 0
    ? 'Expired'
    : daysLeft <= 7
      ? '7 days or less'
      : daysLeft <= 30
        ? '30 days or less'
        : daysLeft <= 60
          ? '60 days or less'
          : 'Later';

/** Credentials by days left; with `forms` (a caller with Vigil.Rotate) each row offers a snooze. */
export function renderCredentials(credentials: readonly CredentialRow[], forms?: FormContext): string {
  const buckets = ['Expired', '7 days or less', '30 days or less', '60 days or less', 'Later'];
  const sorted = [...credentials].sort((a, b) => a.daysLeft - b.daysLeft);
  const parts = buckets
    .map((bucket) => {
      const rows = sorted
        .filter((c) => bucketOf(c.daysLeft) === bucket)
        .map((c) => [
          // The row is where a notification's status-page link lands (#<finding id>), and the id is what the snooze API takes.
          `<span id="${e(c.findingId)}">${e(c.app)}</span><br><small><code>${e(c.findingId)}</code></small>`,
          e(c.tenantName),
          e(`${c.credentialType}${c.displayName ? ` “${c.displayName}”` : ''}`),
          date(c.endDateTime),
          `<span class="sev sev-${e(c.severity)}">${e(c.daysLeft < 0 ? `${-c.daysLeft} days ago` : `${c.daysLeft} days`)} · ${e(c.severity)}</span>`,
          c.overlap ? 'overlap exists' : '<strong>last valid credential</strong>',
          e(c.usage ?? '—'),
          c.advice ? `<strong>${e(c.advice.text)}</strong> ${e(c.advice.reason)}` : '—',
          e(c.impact ?? '—'),
          e(c.owner ?? '—'),
          c.portalUrl ? `<a href="${e(c.portalUrl)}">Certificates &amp; secrets</a>` : '—',
          ...(forms ? [snoozeForm(forms, c)] : []),
        ]);
      return rows.length > 0
        ? `<h3>${e(bucket)}</h3>${table(
            `Credentials: ${bucket}`,
            [
              'App',
              'Tenant',
              'Credential',
              'Ends',
              'Left',
              'Overlap',
              'Usage',
              'Advice',
              'What breaks',
              'Owner',
              'Portal',
              ...(forms ? ['Snooze'] : []),
            ],
            rows,
            '',
          )}`
        : '';
    })
    .join('');
  return parts || '<p class="empty">No credential needs attention.</p>';
}

/**
 * Connections that failed, and healthy ones that stop within 30 days (most often: their client secret ends).
 * One a new sign-in fixes offers a Reconnect button to a caller with Vigil.Rotate.
 */
export function renderConnections(connections: readonly ConnectionRow[], generatedAt: string, forms?: FormContext): string {
  const soon = Date.parse(generatedAt) + 30 * 86_400_000;
  const lapsing = (c: ConnectionRow) => c.expectedLapse !== undefined && Date.parse(c.expectedLapse) <= soon;
  const shown = connections.filter((c) => c.status !== 'healthy' || lapsing(c));
  const rows = shown.map((c) => [
    e(c.name),
    e(c.vault),
    c.status === 'healthy' ? 'healthy, lapsing' : `<strong class="bad">${e(c.status)}</strong>`,
    e(c.failureClass ?? ''),
    e(c.code ?? ''),
    `${e(c.remediation ?? (c.lapseCause && c.lapseCause !== 'refreshToken' ? `Renew the ${lapseWords[c.lapseCause]} it signs in with before it ends.` : ''))}${reconnectCell(c, forms)}`,
    c.expectedLapse
      ? `${date(c.expectedLapse)} (${lapseWords[c.lapseCause ?? 'refreshToken']} ${c.lapseCause === 'refreshToken' || !c.lapseCause ? 'lapses' : 'ends'})`
      : '—',
    date(c.lastSuccess),
  ]);
  return table(
    'Token connections whose refresh failed, or that stop within 30 days',
    ['Connection', 'Vault', 'Status', 'Class', 'Code', 'What to do', 'Stops', 'Last success'],
    rows,
    'Every token connection refreshed, and none stops within 30 days.',
  );
}

/** Each hygiene item once, with its reason: to tidy up, not counted as needing action. */
export function renderHygiene(hygiene: readonly HygieneRow[]): string {
  const rows = hygiene.map((h) => [
    e(h.app),
    e(h.tenantName),
    e(`${h.credentialType}${h.displayName ? ` “${h.displayName}”` : ''}`),
    e(h.reason),
    h.portalUrl ? `<a href="${e(h.portalUrl)}">Certificates &amp; secrets</a>` : '—',
  ]);
  return table('To tidy up (nothing breaks if it waits)', ['App', 'Tenant', 'Credential', 'Why', 'Portal'], rows, 'Nothing to tidy up.');
}

export function renderRotations(view: DashboardView): string {
  const rows = view.rotations
    .filter((r) => r.status !== 'completed')
    .map((r) => [e(r.id), e(r.app), e(r.status), e(r.step), date(r.updatedAt)]);
  return table('Rotations in flight or failed', ['Rotation', 'App', 'Status', 'Step', 'Updated'], rows, 'No rotation in flight.');
}

/** `findings?…&format=csv`: the findings API's full list for a tenant and an exact severity, from the page at /api/dashboard. */
export const findingsListHref = (filter: { tenant?: string | undefined; severity?: string | undefined }): string =>
  `findings?${new URLSearchParams({ ...(filter.tenant ? { tenant: filter.tenant } : {}), ...(filter.severity ? { severity: filter.severity } : {}), format: 'csv' }).toString()}`;

/**
 * Findings counted by severity for each tenant, as its last good scan left them (not read one by one),
 * each count a link to its full list; tenants whose scan recorded no counts are named, never shown as 0.
 */
export function renderCounts(counts: FindingCountsView): string {
  const order = [...severities].reverse();
  const cell = (tenant: string | undefined, severity: string, n: number) =>
    n === 0 ? '0' : `<a href="${e(findingsListHref({ tenant, severity }))}">${n.toLocaleString('en')}</a>`;
  const rows = counts.byTenant.map((t) => [
    `<a href="?${e(new URLSearchParams({ tenant: t.id }).toString())}">${e(t.name)}</a>`,
    ...order.map((s) => cell(t.id, s, t.bySeverity[s])),
  ]);
  if (counts.byTenant.length > 1) rows.push(['<strong>All shown</strong>', ...order.map((s) => cell(undefined, s, counts.bySeverity[s]))]);
  const uncounted =
    counts.uncounted.length > 0
      ? `<p class="warning">Not counted (no good scan with counts yet): ${counts.uncounted.map((n) => e(n)).join(', ')}.</p>`
      : '';
  return (
    table('Findings by tenant and severity, as of each last scan', ['Tenant', ...order], rows, 'No tenant has been scanned yet.') +
    uncounted
  );
}

/** A failing connection a new sign-in fixes: the Reconnect button, or where to get its owner a link without the role. */
function reconnectCell(c: ConnectionRow, forms: FormContext | undefined): string {
  if (!c.reconnectable) return '';
  if (forms) return `<br>${reconnectForm(forms, c)} (opens a sign-in link for its owner, usable once)`;
  return '<br><span class="empty">A new sign-in by its owner fixes it (someone with Vigil.Rotate can make the link here).</span>';
}
