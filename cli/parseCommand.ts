import { parseArgs } from 'node:util';
import type { DateTime } from 'luxon';
import type { CallOptions, Command, CommandName } from './Command.js';
import { options, wholeNumber, type OptionName, type OptionValues } from './cliOptions.js';
import { toCallOptions } from './toCallOptions.js';
import { toRotateCommand } from './toRotateCommand.js';
import { toSnoozeBody } from './toSnoozeBody.js';

const everyCommand: readonly OptionName[] = ['url', 'scope', 'auth', 'function-key', 'authority-host', 'json', 'help'];
/** The options and positional arguments (by name) each command takes, besides those of every command. */
const commands: Record<CommandName, { options: readonly OptionName[]; args: readonly string[] }> = {
  findings: { options: ['tenant', 'severity', 'status', 'max-days-left'], args: [] },
  connections: { options: [], args: [] },
  scan: { options: ['tenant'], args: [] },
  refresh: { options: ['vault'], args: ['connection'] },
  rotate: {
    options: ['tenant', 'secret', 'vault', 'lifetime-days', 'retire-after', 'idempotency-key', 'dry-run', 'follow', 'interval'],
    args: ['appId[/keyId]'],
  },
  rotation: { options: ['follow', 'interval'], args: ['rotationId'] },
  snooze: { options: ['until', 'for', 'reason', 'by'], args: ['findingId'] },
  unsnooze: { options: [], args: ['findingId'] },
  status: { options: [], args: [] },
};

export type ParsedCommandLine =
  { kind: 'run'; command: Command; call: CallOptions } | { kind: 'help' } | { kind: 'usage'; message: string };

/**
 * The command line as a command and where to send it, or a usage error naming what is wrong. Flags win
 * over the environment (`VIGIL_URL`, `VIGIL_API_SCOPE`, `VIGIL_FUNCTION_KEY`, `AZURE_AUTHORITY_HOST`).
 */
export function parseCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, now: DateTime): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    return { kind: 'usage', message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals, tokens } = parsed;
  const [name, ...args] = positionals;
  if (values.help || name === 'help' || name === undefined)
    return name === undefined && !values.help ? usageError('give a command') : { kind: 'help' };
  if (!(name in commands)) return usageError(`unknown command ${name}`);
  const spec = commands[name as CommandName];
  const allowed = new Set<string>([...everyCommand, ...spec.options]);
  const stray = tokens.find((t) => t.kind === 'option' && !allowed.has(t.name));
  if (stray?.kind === 'option') return usageError(`${name} takes no --${stray.name}`);
  if (args.length !== spec.args.length)
    return usageError(spec.args.length === 0 ? `${name} takes no arguments` : `${name} takes ${spec.args.map((a) => `<${a}>`).join(' ')}`);
  const call = toCallOptions(values, env);
  if ('error' in call) return usageError(call.error);
  const command = toCommand(name as CommandName, args, values, now);
  return 'error' in command ? usageError(command.error) : { kind: 'run', command, call };
}

const usageError = (message: string): ParsedCommandLine => ({ kind: 'usage', message });

function toCommand(name: CommandName, args: string[], values: OptionValues, now: DateTime): Command | { error: string } {
  const tenant = values.tenant === undefined ? {} : { tenant: values.tenant };
  switch (name) {
    case 'findings': {
      const maxDaysLeft = values['max-days-left'] === undefined ? undefined : wholeNumber(values['max-days-left'], true);
      if (values['max-days-left'] !== undefined && maxDaysLeft === undefined)
        return { error: `--max-days-left ${values['max-days-left']}: give a whole number of days` };
      return {
        kind: 'findings',
        ...tenant,
        severities: listOf(values.severity),
        statuses: listOf(values.status),
        ...(maxDaysLeft === undefined ? {} : { maxDaysLeft }),
      };
    }
    case 'connections':
    case 'status':
      return { kind: name };
    case 'scan':
      return { kind: 'scan', ...tenant };
    case 'refresh':
      return { kind: 'refresh', connection: args[0]!, ...(values.vault === undefined ? {} : { vault: values.vault }) };
    case 'rotate':
      return toRotateCommand(args[0]!, values);
    case 'rotation':
      return { kind: 'rotation', id: args[0]!, follow: values.follow ?? false };
    case 'snooze': {
      const body = toSnoozeBody({ until: values.until, for: values.for, reason: values.reason, by: values.by }, now);
      return 'error' in body ? body : { kind: 'snooze', findingId: args[0]!, body };
    }
    case 'unsnooze':
      return { kind: 'unsnooze', findingId: args[0]! };
  }
}

/** `--severity high,critical --severity medium` → `['high', 'critical', 'medium']`. */
const listOf = (given: string[] | undefined): string[] =>
  (given ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
