import type { DashboardView } from './DashboardView.js';

/** RFC 4180 quoting, and a leading apostrophe so a spreadsheet never runs a cell as a formula. */
function cell(value: string | number | boolean | null | undefined): string {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same view as the page, one row per item needing attention or checked source. */
export function toDashboardCsv(view: DashboardView): string {
  const header = [
    'section',
    'tenant',
    'name',
    'type',
    'status',
    'severity',
    'days_left',
    'ends',
    'overlap',
    'detail',
    'usage',
    'advice',
    'impact',
  ];
  const rows: Array<Array<string | number | boolean | null | undefined>> = [
    ...view.health.map((h) => [
      'health',
      '',
      h.name,
      h.kind,
      h.status === 'ok' ? 'checked' : 'could not check',
      '',
      '',
      h.lastRun,
      '',
      h.detail,
    ]),
    ...view.credentials.map((c) => [
      'credential',
      c.tenantName,
      c.app,
      c.credentialType,
      '',
      c.severity,
      c.daysLeft,
      c.endDateTime,
      c.overlap,
      c.displayName,
      c.usage,
      c.advice ? `${c.advice.text} ${c.advice.reason}` : '',
      c.impact,
    ]),
    ...view.hygiene.map((h) => ['hygiene', h.tenantName, h.app, h.credentialType, h.check, 'info', '', '', '', h.reason]),
    ...view.connections.map((c) => ['connection', '', c.name, c.failureClass, c.status, '', '', c.expectedLapse, '', c.remediation]),
    ...view.rotations.map((r) => ['rotation', '', r.app, r.step, r.status, '', '', r.updatedAt, '', r.id]),
  ];
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
