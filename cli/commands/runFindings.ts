import { z } from 'zod';
import { findingSchema, unscannedSchema } from '../apiSchemas.js';
import type { Command } from '../Command.js';
import { toFindingLines } from '../format/toFindingLines.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

/** Findings per page asked for: the API's most, so a long list costs the fewest requests. */
const PAGE_SIZE = '1000';

/**
 * `vigil findings`: every page of `GET /api/findings`, filtered by the API (tenant, severity, days left)
 * and here by status, which the API does not filter. `--json` is the API's list with every page joined
 * (`{ value, unscanned }`): the tenants that could not be checked stay in the one document.
 */
export async function runFindings(command: Extract<Command, { kind: 'findings' }>, ctx: CommandContext): Promise<number> {
  const query = {
    tenant: command.tenant,
    severity: command.severities.length > 0 ? command.severities.join(',') : undefined,
    maxDaysLeft: command.maxDaysLeft === undefined ? undefined : String(command.maxDaysLeft),
    $top: PAGE_SIZE,
  };
  const listed = await ctx.api.list('findings', query);
  if (listed.kind !== 'ok') return ctx.fail(listed);
  // `unscanned` rides on every page: the last page's is the newest.
  const unscannedRaw = (listed.pages.at(-1) as { unscanned?: unknown } | undefined)?.unscanned;
  const findings = readAnswer(ctx, z.array(findingSchema), listed.items, 'GET /api/findings');
  const unscanned = readAnswer(ctx, z.array(unscannedSchema), unscannedRaw, 'GET /api/findings (unscanned)');
  if (!findings || !unscanned) return EXIT.failed;
  const shown = command.statuses.length === 0 ? findings : findings.filter((f) => command.statuses.includes(f.status));
  if (ctx.json) printJson(ctx, { value: shown, unscanned });
  else for (const line of toFindingLines(shown, unscanned)) ctx.out(line);
  if (unscanned.length > 0 && ctx.json)
    ctx.err(`COULD NOT CHECK ${unscanned.length} tenant(s): see "unscanned"; their findings are missing.`);
  return EXIT.ok;
}
