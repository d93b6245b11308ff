import type { LapseCause } from '../events/vigilEvent.js';
import type { DateTime } from 'luxon';
import { severities, type Severity } from '../events/vigilEvent.js';
import { describeUsage } from '../intelligence/CredentialUsage.js';
import { describeImpact } from '../intelligence/Impact.js';
import { credentialTypeWords } from '../scanner/credentialTypeWords.js';
import { expectedLapseOf } from '../tokens/ConnectionCredentialFacts.js';
import type { VaultHealth } from '../inventory/VaultHealth.js';
import type { ScanState } from '../scanner/ScanPorts.js';
import { linkedFindingOf, type ConnectionState } from '../tokens/ConnectionState.js';
import { SIGN_IN_FIXES } from '../signIn/addReconnectFix.js';
import type { DashboardSources } from './DashboardSources.js';
import { findingIdOfCredential } from '../notifications/findingOf.js';
import { describeError } from '../helpers/describeError.js';
import type { CredentialRow, DashboardView, FindingCountsView, HealthRow, HygieneRow } from './DashboardView.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/** Credentials the page lists, most urgent first; the counts cover the rest. */
export const MOST_URGENT = 50;
const WEEKS = 13;

export interface DashboardFilters {
  tenant?: string | undefined;
  /** Show credentials of at least this severity. */
  severity?: Severity | undefined;
}

/** Reads a source; a failure becomes a health row saying what could not be read, never an empty section. */
async function attempt<T>(name: string, read: () => Promise<T>, problems: HealthRow[], fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    problems.push({
      kind: 'vault',
      name: `Vigil's own ${name}`,
      lastRun: undefined,
      status: 'failed',
      detail: `could not read: ${describeError(error)}`,
      failingSince: undefined,
    });
    return fallback;
  }
}

/** Gathers the status page's view from Vigil's tables, newest state first, filtered as asked. */
export async function loadDashboardView(sources: DashboardSources, filters: DashboardFilters, now: DateTime): Promise<DashboardView> {
  const problems: HealthRow[] = [];
  const minimum = filters.severity ? severities.indexOf(filters.severity) : 0;
  const wanted = severities.filter((_, i) => i >= minimum);
  const query = { tenantId: filters.tenant?.toLowerCase(), severities: filters.severity ? wanted : undefined };
  const [urgent, tidyUp, scanStates, connections, vaults, rotations, snoozed, deliveries, poison] = await Promise.all([
    attempt('findings table', () => sources.findings(query, MOST_URGENT), problems, { findings: [], more: false }),
    attempt('findings table', () => sources.findings({ tenantId: query.tenantId, severities: ['info'] }, MOST_URGENT), problems, {
      findings: [],
      more: false,
    }),
    attempt('scan state table', () => sources.scanStates(), problems, []),
    attempt('connections table', () => sources.connections(), problems, []),
    attempt('vault health table', () => sources.vaultHealth(), problems, undefined),
    attempt('rotations table', async () => [...(await sources.openRotations()), ...(await sources.failedRotations())], problems, []),
    attempt('notification state', () => sources.snoozed(), problems, []),
    attempt('delivery log', () => sources.deliveries(25), problems, []),
    attempt('poison queues', () => sources.poisonDepth(), problems, undefined),
  ]);
  const tenantName = (id: string) => sources.tenants.find((t) => t.id.toLowerCase() === id.toLowerCase())?.name ?? id;
  const inTenant = (id: string) => !filters.tenant || id.toLowerCase() === filters.tenant.toLowerCase();
  const snoozedIds = new Set(snoozed.filter((s) => s.snooze && s.snooze.until > toIsoUtc(now)).map((s) => s.key));
  // Hygiene findings are `info`: read apart, so the most urgent credentials never crowd them out (bounded too).
  const hygiene: HygieneRow[] = tidyUp.findings
    .filter((f) => f.status === 'hygiene')
    .flatMap((f) =>
      f.hygiene.map((h) => ({
        tenantName: tenantName(f.tenantId),
        app: f.subjectName,
        credentialType: credentialTypeWords[f.credentialType],
        displayName: f.credentialName,
        check: h.check,
        reason: h.reason,
        portalUrl: f.portalUrl,
      })),
    );
  const credentials: CredentialRow[] = urgent.findings
    .filter((f) => f.status !== 'hygiene' && !snoozedIds.has(`credential|${f.tenantId}|${f.objectId}|${f.keyId}`))
    .map((f) => ({
      findingId: findingIdOfCredential(f),
      tenantId: f.tenantId,
      tenantName: tenantName(f.tenantId),
      app: f.subjectName,
      objectKind: f.subjectKind,
      credentialType: f.credentialType,
      displayName: f.credentialName,
      endDateTime: f.endDateTime,
      daysLeft: f.daysLeft,
      severity: f.severity,
      overlap: f.overlap,
      // Findings carry no owner of their own yet; the tenant's routing owner is who hears about them.
      owner: sources.tenants.find((t) => t.id.toLowerCase() === f.tenantId.toLowerCase())?.owner,
      portalUrl: f.portalUrl,
      usage: f.usage ? describeUsage(f.usage, now.toMillis()) : undefined,
      advice: f.advice ? { text: f.advice.text, reason: f.advice.reason } : undefined,
      impact: f.impact ? describeImpact(f.impact) || undefined : undefined,
    }));
  const tenantHealth: HealthRow[] = sources.tenants
    .filter((t) => inTenant(t.id))
    .map((t) => {
      const state = scanStates.find((s) => s.tenantId.toLowerCase() === t.id.toLowerCase());
      const failure = state?.failure;
      return {
        kind: 'tenant',
        name: t.name,
        lastRun: state?.lastScan?.at ?? state?.lastSuccessAt,
        status: !state ? 'never' : state.failingSince ? 'failed' : 'ok',
        detail: failure ? `${failure.reason}${failure.missingPermission ? ` (missing ${failure.missingPermission})` : ''}` : undefined,
        failingSince: state?.failingSince,
      };
    });
  return {
    generatedAt: toIsoUtc(now),
    filters,
    tenants: sources.tenants.map((t) => ({ id: t.id, name: t.name })),
    health: [...problems, ...tenantHealth, ...sources.vaultUrls.map((url) => vaultHealthRow(url, connections, vaults))],
    credentials,
    moreCredentials: urgent.more,
    counts: countsOf(
      sources.tenants.filter((t) => inTenant(t.id)),
      scanStates,
    ),
    endingByWeek: endingByWeek(
      sources.tenants.filter((t) => inTenant(t.id)),
      scanStates,
      now,
    ),
    hygiene,
    connections: connections.map((c) => ({
      name: c.name,
      vault: c.vaultUrl,
      status: c.status,
      failureClass: c.status === 'failing' ? c.failureClass : undefined,
      code: c.status === 'failing' ? c.lastErrorCode : undefined,
      remediation: c.status === 'failing' ? c.remediation : c.status === 'misconfigured' ? c.problems.join('; ') : undefined,
      lastSuccess: c.lastSuccess,
      reconnectable: sources.signInLinks && c.status === 'failing' && SIGN_IN_FIXES.has(c.failureClass),
      ...lapseOf(c),
    })),
    rotations: rotations.map((r) => ({
      id: r.id,
      app: r.application.displayName,
      status: r.step === 'failed' ? 'failed' : 'in flight',
      step: r.step,
      updatedAt: r.updatedAt,
    })),
    snoozed: snoozed
      .filter((s) => s.snooze)
      .map((s) => ({ findingId: s.findingId, finding: s.name, reason: s.snooze!.reason, by: s.snooze!.by, until: s.snooze!.until })),
    deliveries: deliveries.map((d) => ({ at: d.at, channel: d.channel, route: d.route, status: d.outcome, detail: d.detail || undefined })),
    poisonDepth: poison,
  };
}

function lapseOf(c: ConnectionState): { expectedLapse: string | undefined; lapseCause: LapseCause | undefined } {
  const lapse = expectedLapseOf(c.expectedLapse, c.clientSecret?.endDateTime ?? linkedFindingOf(c)?.endDateTime, c.clientSecret?.kind);
  return { expectedLapse: lapse?.at, lapseCause: lapse?.cause };
}

const sameVault = (a: string, b: string) => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * A vault as a source: its last listing by either planner (never "ok" while that failed), and what its
 * connections' refreshes found. Unknown (the health table could not be read) is shown as such, and so
 * is a vault no planner has listed yet.
 */
function vaultHealthRow(vaultUrl: string, connections: readonly ConnectionState[], vaults: readonly VaultHealth[] | undefined): HealthRow {
  const mine = connections.filter((c) => sameVault(c.vaultUrl, vaultUrl));
  const failing = mine.filter((c) => c.status !== 'healthy').length;
  const counts =
    mine.length === 0 ? 'no token connection found yet' : `${mine.length} connection${mine.length === 1 ? '' : 's'}, ${failing} failing`;
  const health = vaults?.find((v) => sameVault(v.vaultUrl, vaultUrl));
  const row = { kind: 'vault' as const, name: vaultUrl };
  if (!vaults)
    return { ...row, lastRun: undefined, status: 'failed', detail: `listing health unknown; ${counts}`, failingSince: undefined };
  if (!health) return { ...row, lastRun: undefined, status: 'never', detail: `not listed yet; ${counts}`, failingSince: undefined };
  if (health.status === 'ok')
    return {
      ...row,
      lastRun: health.lastCheckedAt,
      status: 'ok',
      detail: `${health.secrets} secrets listed; ${counts}`,
      failingSince: undefined,
    };
  const role = health.problem.missingRole ? ` (missing ${health.problem.missingRole})` : '';
  const lastGood = health.lastSuccessAt ? `last listed ${health.lastSuccessAt}` : 'never listed';
  return {
    ...row,
    lastRun: health.lastCheckedAt,
    status: 'failed',
    detail: `could not list: ${health.problem.reason}${role}; ${lastGood}; ${counts}, as last known`,
    failingSince: health.failingSince,
  };
}

const noCounts = (): Record<Severity, number> => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });
const stateOf = (states: readonly ScanState[], id: string) => states.find((s) => s.tenantId.toLowerCase() === id.toLowerCase());

/** Findings per severity and tenant as each tenant's last good scan counted them: no finding is read. */
function countsOf(tenants: ReadonlyArray<{ id: string; name: string }>, states: readonly ScanState[]): FindingCountsView {
  const view: FindingCountsView = { bySeverity: noCounts(), byTenant: [], uncounted: [] };
  for (const t of tenants) {
    const counts = stateOf(states, t.id)?.lastScan?.counts;
    if (!counts) {
      view.uncounted.push(t.name);
      continue;
    }
    view.byTenant.push({ id: t.id, name: t.name, bySeverity: { ...counts.bySeverity } });
    for (const s of severities) view.bySeverity[s] += counts.bySeverity[s];
  }
  return view;
}

/** Credentials still valid ending in each week from today, summed over the tenants' last scans. */
function endingByWeek(tenants: ReadonlyArray<{ id: string }>, states: readonly ScanState[], now: DateTime): number[] {
  const weeks = Array.from({ length: WEEKS }, () => 0);
  const today = Date.parse(now.toUTC().toISODate()!);
  for (const t of tenants) {
    for (const [day, n] of Object.entries(stateOf(states, t.id)?.lastScan?.counts?.endingByDay ?? {})) {
      const week = Math.floor((Date.parse(day) - today) / (7 * 86_400_000));
      if (week >= 0 && week < WEEKS) weeks[week]! += n;
    }
  }
  return weeks;
}
