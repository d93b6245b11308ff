import { z } from 'zod';
import { findingSchema, rotationSchema, type FindingItem, type RotationItem } from '../apiSchemas.js';
import { toRotationBody } from '../toRotationBody.js';
import type { Command } from '../Command.js';
import { toHistoryLine, toRotationLines } from '../format/toRotationLines.js';
import { EXIT, printJson, readAnswer, type CommandContext } from './CommandContext.js';

/** A wait longer than this (the grace period before the old secret goes) ends `--follow`: it is days, not minutes. */
const LONG_WAIT_MS = 15 * 60_000;

/**
 * `vigil rotate`: `POST /api/rotations` (a plan with `--dry-run`), then with `--follow` its progress.
 * For a finding id, the finding is looked up first to fill in the app, secret, tenant and vault copy.
 */
export async function runRotate(command: Extract<Command, { kind: 'rotate' }>, ctx: CommandContext): Promise<number> {
  let finding: FindingItem | undefined;
  if (command.target.kind === 'finding') {
    const listed = await ctx.api.list('findings', { $top: '1000' });
    if (listed.kind !== 'ok') return ctx.fail(listed);
    const findings = readAnswer(ctx, z.array(findingSchema), listed.items, 'GET /api/findings');
    if (!findings) return EXIT.failed;
    const { findingId } = command.target;
    finding = findings.find((f) => f.id === findingId);
  }
  const body = toRotationBody(command.target, command.choices, finding);
  if ('error' in body) {
    ctx.err(body.error);
    return EXIT.failed;
  }
  const answer = await ctx.api.call('POST', 'rotations', {
    body,
    ...(command.idempotencyKey ? { headers: { 'idempotency-key': command.idempotencyKey } } : {}),
  });
  if (answer.kind !== 'ok') return ctx.fail(answer);
  const rotation = readAnswer(ctx, rotationSchema, answer.body, 'POST /api/rotations');
  if (!rotation) return EXIT.failed;
  if (!command.follow || rotation.dryRun) {
    if (ctx.json) printJson(ctx, answer.body);
    else for (const line of toRotationLines(rotation)) ctx.out(line);
    if (!ctx.json)
      ctx.out(rotation.dryRun ? 'Run it again without --dry-run to rotate.' : `Follow it: vigil rotation ${rotation.id} --follow`);
    return EXIT.ok;
  }
  return followRotation(rotation, ctx);
}

/** `vigil rotation <id> [--follow]`: `GET /api/rotations/{id}`. */
export async function runRotation(command: Extract<Command, { kind: 'rotation' }>, ctx: CommandContext): Promise<number> {
  const answer = await ctx.api.call('GET', `rotations/${encodeURIComponent(command.id)}`);
  if (answer.kind !== 'ok') return ctx.fail(answer);
  const rotation = readAnswer(ctx, rotationSchema, answer.body, 'GET /api/rotations/{id}');
  if (!rotation) return EXIT.failed;
  if (command.follow) return followRotation(rotation, ctx);
  if (ctx.json) printJson(ctx, answer.body);
  else for (const line of [...toRotationLines(rotation), ...rotation.history.map(toHistoryLine)]) ctx.out(line);
  return rotation.status === 'failed' ? EXIT.failed : EXIT.ok;
}

/**
 * Polls the rotation, printing each step as it is recorded, until it completes or fails, or settles
 * into the grace period before the old secret is removed (then says when, and stops). `--json` prints
 * the last state as the one document, and the steps on stderr.
 */
export async function followRotation(first: RotationItem, ctx: CommandContext): Promise<number> {
  const progress = (line: string) => (ctx.json ? ctx.err(line) : ctx.out(line));
  let rotation = first;
  let raw: unknown = first;
  let printed = 0;
  if (!ctx.json) ctx.out(toRotationLines(rotation)[0]!);
  for (;;) {
    for (const entry of rotation.history.slice(printed)) progress(toHistoryLine(entry));
    printed = rotation.history.length;
    const wake = Date.parse(rotation.nextAttemptAt ?? rotation.retireAt ?? '');
    const settled = rotation.status === 'retire' && wake - ctx.now().toMillis() > LONG_WAIT_MS;
    if (rotation.status === 'completed' || rotation.status === 'failed' || settled) break;
    await ctx.sleep(ctx.intervalSeconds * 1000);
    const answer = await ctx.api.call('GET', `rotations/${encodeURIComponent(rotation.id)}`);
    if (answer.kind !== 'ok') return ctx.fail(answer);
    const next = readAnswer(ctx, rotationSchema, answer.body, 'GET /api/rotations/{id}');
    if (!next) return EXIT.failed;
    [rotation, raw] = [next, answer.body];
  }
  if (ctx.json) printJson(ctx, raw);
  if (rotation.status === 'failed') {
    progress(`Rotation ${rotation.id} FAILED${rotation.failure ? ` at ${rotation.failure.step}: ${rotation.failure.reason}` : ''}`);
    return EXIT.failed;
  }
  progress(
    rotation.status === 'completed'
      ? `Rotation ${rotation.id} completed: the new secret is in ${rotation.vault.url} secret ${rotation.vault.secretName}.`
      : `The new secret is in use. The old one is removed after ${new Date(Date.parse(rotation.nextAttemptAt ?? rotation.retireAt ?? '')).toISOString()}, once nothing signs in with it; \`vigil rotation ${rotation.id}\` shows how it went.`,
  );
  return EXIT.ok;
}
