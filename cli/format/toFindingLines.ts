import { credentialTypeWords } from '../../shared/scanner/credentialTypeWords.js';
import type { FindingItem, UnscannedItem } from '../apiSchemas.js';
import { formatTable } from './formatTable.js';

/** The findings as a table, most urgent first as the API orders them, then every tenant not checked. */
export function toFindingLines(findings: readonly FindingItem[], unscanned: readonly UnscannedItem[]): string[] {
  const lines =
    findings.length === 0
      ? ['No findings match.']
      : formatTable(
          [
            { header: 'DAYS LEFT', align: 'right' },
            { header: 'SEVERITY' },
            { header: 'STATUS' },
            { header: 'TENANT' },
            { header: 'FINDING' },
            { header: 'NAME' },
          ],
          findings.map((f) => [
            // Whole days, negative once ended (the API never says 0): STATUS says expired beside it.
            String(f.daysLeft),
            f.severity,
            f.status,
            f.tenantName,
            f.id,
            `${f.subject} — ${credentialTypeWords[f.credentialType]}${f.credentialName ? ` "${f.credentialName}"` : ''} (ends ${f.endDateTime.slice(0, 10)})`,
          ]),
        );
  return [...lines, ...toUnscannedLines(unscanned)];
}

/** Tenants Vigil could not check: never left out, so an empty table never reads as all clear. */
export function toUnscannedLines(unscanned: readonly UnscannedItem[]): string[] {
  if (unscanned.length === 0) return [];
  return [
    '',
    `COULD NOT CHECK ${unscanned.length} tenant(s); their findings are not above:`,
    ...unscanned.map(
      (u) =>
        `  ${u.tenantName} (${u.tenantId}) since ${u.since.slice(0, 16).replace('T', ' ')}Z: ${u.reason}${u.missingPermission ? ` (missing ${u.missingPermission})` : ''}`,
    ),
  ];
}
