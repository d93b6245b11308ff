import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../cli/parseCommand.js';

const now = DateTime.fromISO('2026-12-04T10:00:00Z', { zone: 'utc' });
const env = { VIGIL_URL: 'https://vigil.azurewebsites.net' };
const parse = (argv: string, environment: Record<string, string> = env) => parseCommand(argv.split(' ').filter(Boolean), environment, now);
const APP = '8146e067-48d5-4d79-a389-7a4c4fe36eff';
const KEY = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const TENANT = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';

describe('parseCommand', () => {
  it('takes the API from --url or VIGIL_URL, with or without /api, and the scope as .default', () => {
    expect(parse('status')).toMatchObject({
      kind: 'run',
      call: { apiUrl: 'https://vigil.azurewebsites.net/api', scope: 'api://vigil/.default', auth: 'auto', json: false },
    });
    expect(parse('status --url http://localhost:7071/api/ --scope api://contoso-vigil --auth cli --json')).toMatchObject({
      call: { apiUrl: 'http://localhost:7071/api', scope: 'api://contoso-vigil/.default', auth: 'cli', json: true },
    });
    expect(parse('status', { ...env, VIGIL_API_SCOPE: 'api://vigil/access_as_user', VIGIL_FUNCTION_KEY: 'k' })).toMatchObject({
      call: { scope: 'api://vigil/access_as_user', functionKey: 'k' },
    });
  });

  it('reads each command with its own options', () => {
    expect(
      parse(`findings --tenant ${TENANT} --severity high,Critical --severity medium --status expired --max-days-left=-3`),
    ).toMatchObject({
      command: { kind: 'findings', tenant: TENANT, severities: ['high', 'critical', 'medium'], statuses: ['expired'], maxDaysLeft: -3 },
    });
    expect(parse('scan')).toMatchObject({ command: { kind: 'scan' } });
    expect(parse('refresh cerb-mailbox --vault https://v.vault.azure.net')).toMatchObject({
      command: { kind: 'refresh', connection: 'cerb-mailbox', vault: 'https://v.vault.azure.net' },
    });
    expect(
      parse(`rotate ${APP}/${KEY} --tenant ${TENANT} --secret creatio --retire-after never --lifetime-days 90 --follow`),
    ).toMatchObject({
      command: {
        kind: 'rotate',
        follow: true,
        target: { kind: 'app', appId: APP, keyId: KEY },
        choices: { tenantId: TENANT, vaultSecretName: 'creatio', lifetimeDays: 90, retireOldAfterHours: 'never', dryRun: false },
      },
    });
    expect(parse(`rotate ${APP} --tenant ${TENANT} --secret creatio --dry-run --retire-after 0`)).toMatchObject({
      command: { target: { kind: 'app', appId: APP }, choices: { retireOldAfterHours: 0, dryRun: true } },
    });
    // A finding names the app, the secret, the tenant and (when Vigil knows one) the Key Vault copy.
    expect(parse('rotate f-0123456789abcdef0123 --dry-run')).toMatchObject({
      command: { target: { kind: 'finding', findingId: 'f-0123456789abcdef0123' }, choices: { dryRun: true } },
    });
    expect(parse('snooze f-0123456789abcdef0123 --for 2w --reason later')).toMatchObject({
      command: { kind: 'snooze', findingId: 'f-0123456789abcdef0123', body: { days: 14, reason: 'later' } },
    });
    expect(parse('rotation rot-1 --follow --interval 2')).toMatchObject({
      command: { kind: 'rotation', id: 'rot-1', follow: true },
      call: { intervalSeconds: 2 },
    });
  });

  it('names what is wrong in a usage error', () => {
    const cases: Array<[string, string]> = [
      ['', 'give a command'],
      ['frobnicate', 'unknown command frobnicate'],
      ['findings --dry-run', 'findings takes no --dry-run'],
      ['findings --max-days-left soon', '--max-days-left soon: give a whole number of days'],
      ['refresh', 'refresh takes <connection>'],
      ['status extra', 'status takes no arguments'],
      [`rotate ${APP} --secret s`, 'rotate needs --tenant'],
      [`rotate ${APP} --tenant ${TENANT}`, 'rotate needs --secret'],
      [`rotate ${APP}/ --tenant ${TENANT} --secret s`, 'give <appId>, <appId>/<keyId> or a finding id (f-…)'],
      [`rotate ${APP} --tenant ${TENANT} --secret s --retire-after soon`, '--retire-after soon: give whole hours or never'],
      ['snooze f-1 --for 3d', 'snooze needs --reason'],
      ['status --auth browser', '--auth browser: give one of auto, env, cli, device-code'],
      ['rotation rot-1 --interval 0', '--interval 0: give whole seconds'],
      ['status --url ftp://x', 'give an http(s) URL'],
      ['status --severity', "Option '--severity <value>' argument missing"],
    ];
    for (const [argv, message] of cases) expect(parse(argv), argv).toEqual({ kind: 'usage', message: expect.stringContaining(message) });
    expect(parse('status', {})).toEqual({ kind: 'usage', message: expect.stringContaining('--url') });
  });

  it('refuses a URL with a query or a user:password, and never prints the URL it refuses', () => {
    const CANARY = 'canary-key-7c21';
    const cases: Array<[string, Record<string, string>, string]> = [
      [`status --url https://vigil.azurewebsites.net/api?code=${CANARY}`, env, '--url: the URL carries a query or fragment'],
      ['status', { VIGIL_URL: `https://vigil.azurewebsites.net/api?code=${CANARY}` }, 'VIGIL_URL: the URL carries a query or fragment'],
      [`status --url https://vigil.azurewebsites.net/api#${CANARY}`, env, '--url: the URL carries a query or fragment'],
      [`status --url https://ops:${CANARY}@vigil.azurewebsites.net/api`, env, '--url: the URL carries a user name or password'],
      [`status --url https://vigil.azurewebsites.net:${CANARY}/api`, env, '--url: not a URL'],
      [`status --url ftp://vigil.example/?code=${CANARY}`, env, '--url: give an http(s) URL, not ftp:'],
    ];
    for (const [argv, environment, message] of cases) {
      const parsed = parse(argv, environment);
      expect(parsed, argv).toEqual({ kind: 'usage', message: expect.stringContaining(message) });
      expect(JSON.stringify(parsed), argv).not.toContain(CANARY);
    }
    expect(parse(`status --url https://vigil.azurewebsites.net/api?code=${CANARY}`)).toEqual({
      kind: 'usage',
      message: expect.stringContaining('give the key with --function-key (or VIGIL_FUNCTION_KEY)'),
    });
    // A bare '?' is no query: the routes still go after /api.
    expect(parse('status --url https://vigil.azurewebsites.net/api?')).toMatchObject({
      call: { apiUrl: 'https://vigil.azurewebsites.net/api' },
    });
  });

  it('asks for help with -h, --help or help', () => {
    for (const argv of ['-h', 'findings --help', 'help']) expect(parse(argv)).toEqual({ kind: 'help' });
  });
});
