import { z } from 'zod';
import { connectionSchema, findingSchema, healthSchema, unscannedSchema } from '../apiSchemas.js';
import { toStatusLines, type StatusCounts } from '../format/toStatusLines.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [key(item)]: (counts[key(item)] ?? 0) + 1 }), {});

/**
 * `vigil status`: `GET /api/health` (anonymous; 503 with the same report when degraded), then the
 * findings and connections counted. Exits 1 when Vigil is degraded or a count could not be read: a
 * count that could not be read is shown as such, never as zero.
 */
export async function runStatus(ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('GET', 'health', { anonymous: true });
  const report = answer.kind === 'ok' ? answer.body : answer.kind === 'problem' && answer.status === 503 ? answer.body : undefined;
  if (report === undefined && answer.kind !== 'ok') return ctx.fail(answer);
  const health = readAnswer(ctx, healthSchema, report, 'GET /api/health');
  if (!health) return EXIT.failed;
  const [findings, connections] = await Promise.all([ctx.api.list('findings', { $top: '1000' }), ctx.api.list('connections', {})]);
  const counts: StatusCounts = {
    findingsBySeverity: undefined,
    toTidyUp: undefined,
    unscannedTenants: undefined,
    connectionsByStatus: undefined,
  };
  if (findings.kind === 'ok') {
    const rows = readAnswer(ctx, z.array(findingSchema), findings.items, 'GET /api/findings');
    const unscanned = readAnswer(
      ctx,
      z.array(unscannedSchema),
      (findings.pages.at(-1) as { unscanned?: unknown })?.unscanned,
      'GET /api/findings',
    );
    if (rows) {
      counts.findingsBySeverity = countBy(
        rows.filter((f) => f.status !== 'hygiene'),
        (f) => f.severity,
      );
      counts.toTidyUp = rows.filter((f) => f.status === 'hygiene').length;
    }
    if (unscanned) counts.unscannedTenants = unscanned.map((u) => u.tenantName);
  } else for (const line of ['Findings could not be read:', ...ctx.describe(findings)]) ctx.err(line);
  if (connections.kind === 'ok') {
    const rows = readAnswer(ctx, z.array(connectionSchema), connections.items, 'GET /api/connections');
    if (rows) counts.connectionsByStatus = countBy(rows, (c) => c.status);
  } else for (const line of ['Connections could not be read:', ...ctx.describe(connections)]) ctx.err(line);
  if (ctx.json)
    printJson(ctx, {
      health: report,
      findings: {
        bySeverity: counts.findingsBySeverity ?? null,
        toTidyUp: counts.toTidyUp ?? null,
        unscannedTenants: counts.unscannedTenants ?? null,
      },
      connections: { byStatus: counts.connectionsByStatus ?? null },
    });
  else for (const line of toStatusLines(health, counts, ctx.now())) ctx.out(line);
  const complete = Object.values(counts).every((c) => c !== undefined);
  return health.status === 'ok' && complete && counts.unscannedTenants?.length === 0 ? EXIT.ok : EXIT.failed;
}
