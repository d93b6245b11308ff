import { z } from 'zod';
import { connectionSchema } from '../apiSchemas.js';
import { toConnectionLines } from '../format/toConnectionLines.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

/** `vigil connections`: every token connection, every page; `--json` is the array of all of them. */
export async function runConnections(ctx: CommandContext): Promise<number> {
  const listed = await ctx.api.list('connections', {});
  if (listed.kind !== 'ok') return ctx.fail(listed);
  if (ctx.json) {
    printJson(ctx, listed.items);
    return EXIT.ok;
  }
  const connections = readAnswer(ctx, z.array(connectionSchema), listed.items, 'GET /api/connections');
  if (!connections) return EXIT.failed;
  for (const line of toConnectionLines(connections, ctx.now())) ctx.out(line);
  return EXIT.ok;
}
