import type { DateTime } from 'luxon';
import type { HealthItem } from '../apiSchemas.js';

/** What `vigil status` counts besides health; `undefined` where it could not be read (never shown as zero). */
export interface StatusCounts {
  /** Findings on the expiry ladder, by severity (hygiene findings are counted apart: nothing breaks). */
  findingsBySeverity: Record<string, number> | undefined;
  toTidyUp: number | undefined;
  unscannedTenants: string[] | undefined;
  connectionsByStatus: Record<string, number> | undefined;
}

const severityOrder = ['critical', 'high', 'medium', 'low', 'info'];

/** Vigil's health, then what needs people: findings by severity, tenants not checked, connections by status. */
export function toStatusLines(health: HealthItem, counts: StatusCounts, now: DateTime): string[] {
  const ago = (at: string | null) => {
    if (!at) return 'never';
    const minutes = Math.round((now.toMillis() - Date.parse(at)) / 60_000);
    return minutes < 90 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
  };
  const lines = [
    `Vigil is ${health.status === 'ok' ? 'ok' : 'DEGRADED'} (storage ${health.storage}, checked ${health.checkedAt.slice(0, 19).replace('T', ' ')}Z)`,
    ...health.problems.map((p) => `  ! ${p}`),
    `  last runs: ${Object.entries(health.lastCompleted)
      .map(([producer, at]) => `${producer} ${ago(at)}`)
      .join(', ')}`,
    `  poison queues: ${health.poisonedMessages ?? 'could not count'}`,
  ];
  const { findingsBySeverity: bySeverity, unscannedTenants, connectionsByStatus } = counts;
  lines.push(
    bySeverity
      ? `Findings: ${
          severityOrder
            .filter((s) => bySeverity[s])
            .map((s) => `${bySeverity[s]} ${s}`)
            .join(', ') || 'none'
        }${counts.toTidyUp ? `; ${counts.toTidyUp} to tidy up` : ''}`
      : 'Findings: COULD NOT READ',
  );
  if (unscannedTenants === undefined) lines.push('  tenants not checked: COULD NOT READ');
  else if (unscannedTenants.length > 0)
    lines.push(`  COULD NOT CHECK ${unscannedTenants.length} tenant(s): ${unscannedTenants.join(', ')}`);
  lines.push(
    connectionsByStatus
      ? `Token connections: ${
          Object.entries(connectionsByStatus)
            .map(([status, n]) => `${n} ${status}`)
            .join(', ') || 'none'
        }`
      : 'Token connections: COULD NOT READ',
  );
  return lines;
}
