import { retiredSettings, settingsSchema, type Settings } from './settingsSchema.js';
import { checkTenants } from './tenantsSetting.js';

/** Raised at start-up with every missing or malformed setting named, so one fix-and-restart is enough. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Vigil cannot start: ${problems.length} setting${problems.length === 1 ? '' : 's'} to fix:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SettingsError';
  }
}

/** Reads and checks all settings once. The only place that reads the environment. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // `reportInput` lets an issue tell a missing value from a wrong one; the input itself is never echoed.
  const parsed = settingsSchema.safeParse(present, { reportInput: true });
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? '(settings)')}: ${describeIssue(i)}`);
  problems.push(...Object.entries(retiredSettings).flatMap(([name, why]) => (name in present ? [`${name}: ${why}`] : [])));
  if (parsed.success) {
    const s = parsed.data;
    if (!s.AzureWebJobsStorage && !s.AzureWebJobsStorage__accountName) {
      problems.push('AzureWebJobsStorage: set a connection string, or AzureWebJobsStorage__accountName for identity-based storage');
    }
    if (s.VIGIL_CLIENT_SECRET && !s.VIGIL_CLIENT_ID) problems.push('VIGIL_CLIENT_ID: required when VIGIL_CLIENT_SECRET is set');
    problems.push(...checkTenants(s));
  }
  if (problems.length > 0 || !parsed.success) throw new SettingsError(problems);
  return parsed.data;
}

function describeIssue(issue: { code: string; message: string; input?: unknown; path: readonly PropertyKey[] }): string {
  // Inside a JSON setting the issue names where (`routes.ops.slack[0].urlSecretName`): "VIGIL_ROUTES: is
  // required but not set" would send an operator looking for a setting that is there.
  const where = toPath(issue.path.slice(1));
  // zod says "expected string, received undefined" for a missing value; say it the way an operator reads it.
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return where ? `${where} is required but not set` : 'is required but not set';
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** `['routes', 'ops', 'slack', 0, 'name']` → `routes.ops.slack[0].name`. */
function toPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
