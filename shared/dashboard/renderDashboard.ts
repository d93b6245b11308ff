import { severities } from '../events/vigilEvent.js';
import type { DashboardView } from './DashboardView.js';
import { escapeHtml as e } from '../helpers/escapeHtml.js';
import {
  findingsListHref,
  renderConnections,
  renderCounts,
  renderCredentials,
  renderHealth,
  renderHygiene,
  renderRotations,
  table,
} from './renderSections.js';
import { MOST_URGENT } from './loadDashboardView.js';
import { renderTimelineSvg } from './renderTimelineSvg.js';
import { dashboardStyles } from './dashboardStyles.js';
import { formContextOf, renderNotice, unsnoozeForm } from './renderForms.js';

/**
 * The status page as one server-rendered HTML document: semantic tables and headings, no script, no
 * external resources, readable without colour. Every value from the directory is escaped.
 */
export function renderDashboard(view: DashboardView, csvHref: string): string {
  const failingConnections = view.connections.filter((c) => c.status !== 'healthy').length;
  // Counted by the last scans (the page lists only the most urgent); never fewer than it lists.
  const atLeast = view.filters.severity ? severities.indexOf(view.filters.severity) : 0;
  const counted = severities.filter((s, i) => s !== 'info' && i >= atLeast).reduce((n, s) => n + view.counts.bySeverity[s], 0);
  const needsAction =
    Math.max(counted, view.credentials.filter((c) => c.severity !== 'info').length) +
    failingConnections +
    view.rotations.filter((r) => r.status === 'failed').length;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;
  const filters = `<form method="get" class="filters" aria-label="Filters">
<label>Tenant <select name="tenant">${option('', 'All tenants', !view.filters.tenant)}${view.tenants.map((t) => option(t.id, t.name, view.filters.tenant === t.id)).join('')}</select></label>
<label>Severity at least <select name="severity">${option('', 'Any', !view.filters.severity)}${severities.map((s) => option(s, s, view.filters.severity === s)).join('')}</select></label>
<button type="submit">Apply</button> <a href="${e(csvHref)}">Download CSV</a></form>`;
  const deliveries = table(
    'Most recent deliveries',
    ['When', 'Channel', 'Route', 'Status', 'Detail'],
    view.deliveries.map((d) => [
      e(d.at.slice(0, 16).replace('T', ' ')),
      e(d.channel),
      e(d.route),
      d.status === 'delivered' ? 'delivered' : `<strong class="bad">${e(d.status)}</strong>`,
      e(d.detail ?? ''),
    ]),
    'Nothing was sent yet.',
  );
  const forms = formContextOf(view);
  const snoozed = table(
    'Snoozed findings',
    ['Finding', 'Reason', 'By', 'Until', ...(forms ? ['End now'] : [])],
    view.snoozed.map((s) => [
      `${e(s.finding)}<br><small><code>${e(s.findingId)}</code></small>`,
      e(s.reason),
      e(s.by),
      e(s.until.slice(0, 10)),
      ...(forms ? [unsnoozeForm(forms, s)] : []),
    ]),
    'Nothing is snoozed.',
  );
  const more = view.moreCredentials
    ? `<p>The ${MOST_URGENT} most urgent are shown, most severe and soonest first. <a href="${e(findingsListHref({ tenant: view.filters.tenant }))}">All findings (CSV)</a></p>`
    : '';
  const poison = view.poisonDepth === undefined ? 'unknown (could not read the queues)' : String(view.poisonDepth);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vigil status</title><style>${dashboardStyles}</style></head>
<body><header><h1>Vigil status</h1><p>Generated ${e(view.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>${filters}</header>
<main>
${renderNotice(view)}
${renderHealth(view.health, needsAction)}
<section aria-labelledby="needs-action"><h2 id="needs-action">Needs action</h2>
<h3>Findings by tenant and severity</h3>${renderCounts(view.counts)}
<h3>Most urgent credentials</h3>${more}${renderCredentials(view.credentials, forms)}
<h3>Token connections</h3>${renderConnections(view.connections, view.generatedAt, forms)}
<h3>Rotations</h3>${renderRotations(view)}</section>
<section aria-labelledby="tidy-up"><h2 id="tidy-up">To tidy up</h2>${renderHygiene(view.hygiene)}</section>
<section aria-labelledby="timeline"><h2 id="timeline">Credential end dates, next 90 days</h2>${renderTimelineSvg(view.endingByWeek)}</section>
<section aria-labelledby="snoozed"><h2 id="snoozed">Snoozed</h2>${snoozed}</section>
<section aria-labelledby="deliveries"><h2 id="deliveries">Recent deliveries</h2>${deliveries}<p>Messages parked in poison queues: <strong>${e(poison)}</strong></p></section>
</main></body></html>`;
}
