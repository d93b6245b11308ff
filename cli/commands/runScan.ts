import { queuedScansSchema } from '../apiSchemas.js';
import type { Command } from '../Command.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

/** `vigil scan [--tenant ID]`: `POST /api/scans`, then where to watch the result. */
export async function runScan(command: Extract<Command, { kind: 'scan' }>, ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('POST', 'scans', { body: command.tenant ? { tenantId: command.tenant } : {} });
  if (answer.kind !== 'ok') return ctx.fail(answer);
  if (ctx.json) {
    printJson(ctx, answer.body);
    return EXIT.ok;
  }
  const queued = readAnswer(ctx, queuedScansSchema, answer.body, 'POST /api/scans');
  if (!queued) return EXIT.failed;
  ctx.out(`Queued a scan of ${queued.queued.map((t) => `${t.displayName} (${t.tenantId})`).join(', ')}.`);
  ctx.out('Scans run within seconds to minutes. Then:');
  ctx.out(`  vigil findings${command.tenant ? ` --tenant ${command.tenant}` : ''}`);
  ctx.out(`  vigil status    (when each scan last completed)`);
  return EXIT.ok;
}
