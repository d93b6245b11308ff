import type { DateTime } from 'luxon';
import type { z } from 'zod';
import type { VigilApi } from '../adapters/createVigilApi.js';
import type { ApiFailure } from '../ApiOutcome.js';

/** What every command gets: the API, where to write, the clock, and how to report a failure. */
export interface CommandContext {
  api: VigilApi;
  json: boolean;
  intervalSeconds: number;
  /** stdout: the answer (a table, or one JSON document). */
  out: (line: string) => void;
  /** stderr: progress, warnings and errors, so `--json` output stays one document. */
  err: (line: string) => void;
  now: () => DateTime;
  sleep: (ms: number) => Promise<void>;
  /** What went wrong and what to do, in lines for a person. */
  describe: (failure: ApiFailure) => string[];
  /** Writes `describe(failure)` to stderr; returns the exit code 1. */
  fail: (failure: ApiFailure) => number;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Writes `value` as the one JSON document of `--json`. */
export const printJson = (ctx: CommandContext, value: unknown): void => ctx.out(JSON.stringify(value, null, 2));

/** Vigil's answer read with `schema`, or `undefined` after saying it was not what this CLI expects. */
export function readAnswer<T extends z.ZodType>(ctx: CommandContext, schema: T, body: unknown, what: string): z.output<T> | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  ctx.err(
    `Vigil's answer to ${what} is not what this CLI expects (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unreadable'}).`,
  );
  ctx.err('Is the CLI as new as the Vigil it talks to? --json prints the answer as it came.');
  return undefined;
}
