import { snoozeSchema } from '../apiSchemas.js';
import type { Command } from '../Command.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

const findingPath = (id: string) => `findings/${encodeURIComponent(id)}/snooze`;

/** `vigil snooze <finding> --until|--for --reason`: `POST /api/findings/{id}/snooze`. */
export async function runSnooze(command: Extract<Command, { kind: 'snooze' }>, ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('POST', findingPath(command.findingId), { body: command.body });
  if (answer.kind !== 'ok') return ctx.fail(answer);
  if (ctx.json) {
    printJson(ctx, answer.body);
    return EXIT.ok;
  }
  const snoozed = readAnswer(ctx, snoozeSchema, answer.body, 'POST /api/findings/{id}/snooze');
  if (!snoozed) return EXIT.failed;
  ctx.out(`Snoozed ${snoozed.findingId} (${snoozed.name}) until ${snoozed.snooze.until} by ${snoozed.snooze.by}: ${snoozed.snooze.reason}`);
  ctx.out(`Vigil announces it again then; \`vigil unsnooze ${snoozed.findingId}\` ends it sooner.`);
  return EXIT.ok;
}

/** `vigil unsnooze <finding>`: `DELETE /api/findings/{id}/snooze`, which announces the finding again now. */
export async function runUnsnooze(command: Extract<Command, { kind: 'unsnooze' }>, ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('DELETE', findingPath(command.findingId));
  if (answer.kind !== 'ok') return ctx.fail(answer);
  if (ctx.json) printJson(ctx, { findingId: command.findingId, snoozed: false });
  else ctx.out(`${command.findingId} is no longer snoozed; Vigil announces it again now.`);
  return EXIT.ok;
}
