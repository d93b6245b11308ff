import { describeImpact } from '../intelligence/Impact.js';
import type { FindingRow, UnscannedRow } from './toFindingRows.js';

const columns = [
  'status',
  'severity',
  'tenantName',
  'tenantId',
  'subject',
  'subjectKind',
  'appId',
  'objectId',
  'credentialType',
  'credentialName',
  'keyId',
  'endDateTime',
  'daysLeft',
  'threshold',
  'overlap',
  'vaultCopy',
  'portalUrl',
  'id',
  'usage',
  'lastSignIn',
  'advice',
  'impact',
  'hygiene',
  'note',
] as const;

/**
 * RFC 4180 CSV of the findings, then one `could-not-check` row per tenant that could not be scanned, so
 * a spreadsheet of findings never reads as complete when it is not. Cells that a spreadsheet would run
 * as a formula are prefixed with `'` (OWASP CSV injection).
 */
export function toFindingsCsv(findings: readonly FindingRow[], unscanned: readonly UnscannedRow[]): string {
  const rows: Array<Partial<Record<(typeof columns)[number], unknown>>> = [
    ...findings.map((f) => ({
      ...f,
      vaultCopy: f.vaultCopy ? `${f.vaultCopy.secretName}${f.vaultCopy.stale ? ' (stale)' : ''}` : '',
      usage: f.usage?.kind ?? '',
      lastSignIn: f.usage && f.usage.kind !== 'unknown' ? (f.usage.lastSignIn ?? '') : '',
      advice: f.advice ? `${f.advice.text} ${f.advice.reason}` : '',
      impact: f.impact ? describeImpact(f.impact) : '',
      hygiene: f.hygiene.map((h) => `${h.check}: ${h.reason}`).join(' | '),
      note: f.usage?.kind === 'unknown' ? `usage unknown: ${f.usage.reason}` : '',
    })),
    ...unscanned.map((u) => ({
      status: 'could-not-check',
      severity: 'high',
      tenantName: u.tenantName,
      tenantId: u.tenantId,
      note: `${u.reason}${u.missingPermission ? `; missing permission ${u.missingPermission}` : ''}; since ${u.since}`,
    })),
  ];
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n';
}

function cell(value: unknown): string {
  // Rows hold strings, numbers and booleans only; anything else would be a bug, shown as JSON rather than [object Object].
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
