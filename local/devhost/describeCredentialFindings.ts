import { DateTime } from 'luxon';
import { severities, type Severity } from '../../shared/events/vigilEvent.js';
import { asOf } from '../../shared/scanner/asOf.js';
import type { Finding } from '../../shared/scanner/Finding.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { credentialTypeWords } from '../../shared/scanner/credentialTypeWords.js';
import { describeUsage } from '../../shared/intelligence/CredentialUsage.js';

/**
 * The summary's "Credentials" lines: every tenant that could not be checked, first; then findings by
 * severity, each with its usage, advice and what stops with it; then hygiene, apart, to tidy up.
 */
export async function describeCredentialFindings(runtime: Runtime): Promise<string[]> {
  const { scanner } = runtime;
  const now = DateTime.utc();
  const findings: Finding[] = [];
  // Most urgent first, as every findings list; the local run's tenants are small.
  for await (const f of scanner.findings.all({}, now.toMillis())) findings.push(asOf(f, now));
  const states = await scanner.states.listAll();
  const stateOf = new Map(states.map((s) => [s.tenantId, s]));
  const lines: string[] = [];
  for (const tenant of scanner.tenants) {
    const state = stateOf.get(tenant.tenantId.toLowerCase());
    if (state?.failure) {
      const permission = state.failure.missingPermission ? ` Missing permission: ${state.failure.missingPermission}.` : '';
      lines.push(
        `  ✗ tenant ${tenant.displayName}: COULD NOT CHECK CREDENTIALS since ${state.failingSince}: ${state.failure.reason}.${permission} Anything below for it is from its last good scan.`,
      );
    } else if (!state?.lastSuccessAt) lines.push(`  ? tenant ${tenant.displayName}: not scanned yet`);
    else
      lines.push(
        `  ✓ tenant ${tenant.displayName}: ${state.lastScan?.applications ?? 0} applications, ${state.lastScan?.servicePrincipals ?? 0} service principals checked (${state.lastScan?.mode ?? 'full'} scan)`,
      );
  }
  const names = new Map(scanner.tenants.map((t) => [t.tenantId.toLowerCase(), t.displayName]));
  const where = (f: Finding) => (scanner.tenants.length > 1 ? ` [${names.get(f.tenantId) ?? f.tenantId}]` : '');
  const onLadder = findings.filter((f) => f.status !== 'hygiene');
  for (const severity of [...severities].reverse()) {
    const group = onLadder.filter((f) => f.severity === severity).sort((a, b) => a.daysLeft - b.daysLeft);
    if (group.length === 0) continue;
    lines.push(`  ${label(severity)} (${group.length})`);
    for (const f of group) {
      lines.push(`    ${f.subjectName} — ${describe(f)}${where(f)}`);
      const more = intelligenceOf(f, Date.now());
      if (more) lines.push(`      ${more}`);
    }
  }
  const tidy = findings.flatMap((f) => f.hygiene.map((h) => ({ f, h })));
  if (tidy.length > 0) {
    lines.push(`  to tidy up, nothing breaks if it waits (${tidy.length})`);
    for (const { f, h } of tidy) lines.push(`    ${f.subjectName} — ${what(f)}: ${h.reason}${where(f)}`);
  }
  if (findings.length === 0) lines.push('  Nothing expires within the thresholds.');
  return lines;
}

/** "last used today → Keep rotating it: … before 2026-12-16. Stops with it: cerb-helpdesk-mailbox (Cerb)". */
function intelligenceOf(f: Finding, nowMs: number): string {
  const parts: string[] = [];
  if (f.usage) parts.push(describeUsage(f.usage, nowMs));
  if (f.advice) parts.push(`→ ${f.advice.text}`);
  const stops = f.impact?.connections ?? [];
  if (stops.length > 0) parts.push(`Stops with it: ${stops.map((c) => `${c.name}${c.downstream ? ` (${c.downstream})` : ''}`).join(', ')}`);
  return parts.join(' ');
}

function what(f: Finding): string {
  return f.credentialType === 'vaultSecret'
    ? 'Key Vault secret'
    : `${credentialTypeWords[f.credentialType]}${f.credentialName ? ` "${f.credentialName}"` : ''}`;
}

function label(severity: Severity): string {
  return severity === 'critical' || severity === 'high'
    ? `${severity.toUpperCase()}: act now`
    : severity === 'info'
      ? 'info: clean up'
      : `${severity}: plan a renewal`;
}

function describe(f: Finding): string {
  const when = f.status === 'expiring' ? `${f.daysLeft} day${f.daysLeft === 1 ? '' : 's'} left` : `expired ${-f.daysLeft} days ago`;
  const overlap =
    f.status === 'stale'
      ? ', stale: remove it'
      : f.overlap
        ? ', overlap: a newer one exists'
        : f.status === 'expired'
          ? ', nothing replaced it'
          : `, will break on ${f.endDateTime.slice(0, 10)}`;
  const copy = !f.vaultCopy ? '' : `; Key Vault copy "${f.vaultCopy.secretName}"${f.vaultCopyStale ? ' is stale' : ''}`;
  return `${what(f)}: ${when}${overlap}${copy}`;
}
