import { refreshSchema } from '../apiSchemas.js';
import type { Command } from '../Command.js';
import { toLapse, toNextStep } from '../format/toConnectionLines.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

/**
 * `vigil refresh <connection>`: `POST /api/connections/{name}/refresh`. A refresh that ran but failed
 * exits 1: the connection still needs someone, and a script must not read it as done.
 */
export async function runRefresh(command: Extract<Command, { kind: 'refresh' }>, ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('POST', `connections/${encodeURIComponent(command.connection)}/refresh`, {
    query: { vault: command.vault },
  });
  if (answer.kind !== 'ok') return ctx.fail(answer);
  const result = readAnswer(ctx, refreshSchema, answer.body, 'POST /api/connections/{name}/refresh');
  if (ctx.json) printJson(ctx, answer.body);
  if (!result) return EXIT.failed;
  const { connection } = result;
  if (!ctx.json) {
    ctx.out(`${connection.name}: ${result.outcome} (${connection.status}); stops ${toLapse(connection.expectedLapse, ctx.now())}`);
    for (const warning of result.warnings) ctx.out(`  warning: ${warning}`);
    ctx.out(`  next: ${toNextStep(connection)}`);
  }
  return result.outcome === 'refreshed' ? EXIT.ok : EXIT.failed;
}
