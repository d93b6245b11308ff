import { parseArgs } from 'node:util';
import type { DateTime } from 'luxon';
import { authKinds, type AuthKind, type CallOptions, type Command, type CommandName } from './Command.js';
import { toSnoozeBody } from './toSnoozeBody.js';

const options = {
  url: { type: 'string' },
  scope: { type: 'string' },
  auth: { type: 'string' },
  'function-key': { type: 'string' },
  'authority-host': { type: 'string' },
  json: { type: 'boolean' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  tenant: { type: 'string' },
  severity: { type: 'string', multiple: true },
  status: { type: 'string', multiple: true },
  'max-days-left': { type: 'string' },
  vault: { type: 'string' },
  secret: { type: 'string' },
  'lifetime-days': { type: 'string' },
  'retire-after': { type: 'string' },
  'idempotency-key': { type: 'string' },
  'dry-run': { type: 'boolean' },
  follow: { type: 'boolean' },
  until: { type: 'string' },
  for: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
} as const;
type OptionName = keyof typeof options;

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

export const DEFAULT_SCOPE = 'api://vigil/.default';

export type ParsedCommandLine =
  { kind: 'run'; command: Command; call: CallOptions } | { kind: 'help' } | { kind: 'usage'; message: string };

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; tokens: true }>>['values'];

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

function toCallOptions(values: Values, env: Readonly<Record<string, string | undefined>>): CallOptions | { error: string } {
  const url = values.url ?? env['VIGIL_URL'];
  if (!url) return { error: 'say where Vigil is: --url https://<app>.azurewebsites.net/api (or set VIGIL_URL)' };
  let apiUrl: URL;
  try {
    apiUrl = new URL(url);
  } catch {
    return { error: `--url ${url}: not a URL` };
  }
  if (!/^https?:$/.test(apiUrl.protocol)) return { error: `--url ${url}: give an http(s) URL` };
  // `https://<app>.azurewebsites.net` and `…/api` both name the API: routes live under /api.
  const path = apiUrl.pathname.replace(/\/+$/, '');
  apiUrl.pathname = path.endsWith('/api') ? path : `${path}/api`;
  const auth = values.auth ?? 'auto';
  if (!authKinds.includes(auth as AuthKind)) return { error: `--auth ${auth}: give one of ${authKinds.join(', ')}` };
  const scope = values.scope ?? env['VIGIL_API_SCOPE'] ?? DEFAULT_SCOPE;
  const interval = values.interval === undefined ? 5 : wholeNumber(values.interval);
  if (interval === undefined || interval < 1) return { error: `--interval ${values.interval}: give whole seconds, at least 1` };
  return {
    apiUrl: apiUrl.toString().replace(/\/$/, ''),
    scope: toScope(scope),
    auth: auth as AuthKind,
    functionKey: values['function-key'] ?? env['VIGIL_FUNCTION_KEY'] ?? undefined,
    authorityHost: values['authority-host'] ?? env['AZURE_AUTHORITY_HOST'] ?? undefined,
    json: values.json ?? false,
    intervalSeconds: interval,
  };
}

function toCommand(name: CommandName, args: string[], values: Values, now: DateTime): Command | { error: string } {
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

function toRotateCommand(target: string, values: Values): Command | { error: string } {
  const [appId, keyId, extra] = target.split('/');
  if (!appId || extra !== undefined || keyId === '') return { error: `rotate ${target}: give <appId> or <appId>/<keyId>` };
  if (!values.tenant) return { error: 'rotate needs --tenant, the tenant id of the app registration (Vigil rotates in its home tenant)' };
  if (!values.secret) return { error: 'rotate needs --secret, the Key Vault secret that receives the new client secret' };
  const lifetime = values['lifetime-days'];
  const lifetimeDays = lifetime === undefined ? undefined : wholeNumber(lifetime);
  if (lifetime !== undefined && lifetimeDays === undefined) return { error: `--lifetime-days ${lifetime}: give a whole number of days` };
  const retire = values['retire-after'];
  const retireOldAfterHours = retire === undefined || retire === 'never' ? retire : wholeNumber(retire);
  if (retire !== undefined && retireOldAfterHours === undefined) return { error: `--retire-after ${retire}: give whole hours or never` };
  return {
    kind: 'rotate',
    body: {
      tenantId: values.tenant,
      appId,
      ...(keyId === undefined ? {} : { keyId }),
      vaultSecretName: values.secret,
      ...(values.vault === undefined ? {} : { vaultUrl: values.vault }),
      ...(lifetimeDays === undefined ? {} : { lifetimeDays }),
      ...(retireOldAfterHours === undefined ? {} : { retireOldAfterHours }),
      dryRun: values['dry-run'] ?? false,
    },
    follow: values.follow ?? false,
    ...(values['idempotency-key'] === undefined ? {} : { idempotencyKey: values['idempotency-key'] }),
  };
}

/** An Application ID URI alone (`api://vigil`) means the API's app roles: its scope is `api://vigil/.default`. */
function toScope(scope: string): string {
  try {
    const path = new URL(scope).pathname;
    return path === '' || path === '/' ? `${scope.replace(/\/$/, '')}/.default` : scope;
  } catch {
    return scope;
  }
}

/** `--severity high,critical --severity medium` → `['high', 'critical', 'medium']`. */
const listOf = (given: string[] | undefined): string[] =>
  (given ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');

function wholeNumber(text: string, allowNegative = false): number | undefined {
  return (allowNegative ? /^-?\d+$/ : /^\d+$/).test(text.trim()) ? Number(text) : undefined;
}
