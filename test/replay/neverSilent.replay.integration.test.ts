import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { getHealth } from '../../functions/getHealth.js';
import { listFindings } from '../../functions/listFindings.js';
import { snoozeFinding } from '../../functions/snoozeFinding.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { GRAPH, OTHER_TENANT, TENANT } from '../support/testScenario.js';
import { startReplayHost, type ReplayHost } from './replayHost.js';
import { IMAP } from '../shared/tokens/tokenScenario.js';
import { ENDS, HELPDESK, REPLAY_VAULT, TEAMS_SIG, VIGIL_APP_ID, replayScenario, replaySettings } from './replayScenario.js';

/**
 * Issue 13's acceptance replay: 180 days of two tenants' life, every function of the app driven on one
 * moved clock against the local cloud (see replayHost.ts), with the script below. The expectations read
 * only what people and their tools received — mail, Teams cards, a ticketing webhook — and say which
 * replay day they are about.
 */
let stack: TestStack;
let host: ReplayHost;
let runtimeSeconds = 0;
const start = DateTime.utc().startOf('day').plus({ days: 1 });
const at = (day: number, hours = 0) => start.plus({ days: day, hours });
const dayOf = (iso: string) => Math.floor(DateTime.fromISO(iso, { zone: 'utc' }).diff(start, 'days').days);
const hourOf = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).diff(start, 'hours').hours;

/** The script: what happens to the tenants, in replay days (fractions are hours). */
const SCRIPT = {
  creatioRotated: 25.4,
  tokenRevoked: 40.4,
  tokenRestored: 44.4,
  permissionLost: 60.4,
  permissionBack: 63.4,
  graphDown: 74 + 22 / 24,
  graphUp: 75 + 6 / 24,
  snoozed: 97.4,
  snoozeDays: 6,
  stormStart: 150 + 23 / 24,
  stormEnd: 151 + 5.5 / 24,
  vaultRoleLost: 160.375,
  vaultRoleBack: 162.375,
  end: 180,
} as const;

interface Ticket {
  id: string;
  day: number;
  hour: number;
  type: string;
  reason: string;
  finding: string;
  summary: string;
  dedupeKey: string;
}
interface Message {
  channel: 'mail' | 'teams';
  day: number;
  hour: number;
  subject: string;
  text: string;
}

let tickets: Ticket[] = [];
let messages: Message[] = [];
const findings: Record<string, string> = {};

function read(): void {
  const data = stack.cloud.context.store.data;
  tickets = data.webhooks.map((w) => {
    const event = JSON.parse(w.body) as {
      id: string;
      type: string;
      vigilreason: string;
      vigilfinding: string;
      data: { summary: string; dedupeKey: string };
    };
    return {
      id: event.id,
      day: dayOf(w.receivedAt),
      hour: hourOf(w.receivedAt),
      type: event.type.replace(/^vigil\./, ''),
      reason: event.vigilreason,
      finding: event.vigilfinding,
      summary: event.data.summary,
      dedupeKey: event.data.dedupeKey,
    };
  });
  messages = [
    ...data.mail.map((m) => {
      const { message } = JSON.parse(m.body) as { message: { subject: string; attachments?: Array<{ contentBytes: string }> } };
      const text = (message.attachments ?? []).map((a) => Buffer.from(a.contentBytes, 'base64').toString('utf8')).join('\n');
      return { channel: 'mail' as const, day: dayOf(m.receivedAt), hour: hourOf(m.receivedAt), subject: message.subject, text };
    }),
    ...data.teams.map((t) => ({
      channel: 'teams' as const,
      day: dayOf(t.receivedAt),
      hour: hourOf(t.receivedAt),
      subject: '',
      text: t.body,
    })),
  ].sort((a, b) => a.hour - b.hour);
}
/** The finding a ticket summary names first (`Payroll export`, `Contoso`, …). */
const findingNamed = (name: string) => {
  const found = tickets.find((t) => t.summary.includes(name))?.finding;
  if (!found) throw new Error(`no ticket ever named ${name}`);
  return found;
};
const ticketsOf = (finding: string) => tickets.filter((t) => t.finding === finding);
/** Mail or Teams messages received within [fromDay, toDay) that mention `text`. */
const heard = (text: string | RegExp, fromDay: number, toDay: number) =>
  messages.filter(
    (m) => m.hour >= fromDay * 24 && m.hour < toDay * 24 && (typeof text === 'string' ? m.text.includes(text) : text.test(m.text)),
  );

/** An HTTP function called as the host would, with an operator's token (both roles). */
async function call(definition: FunctionDefinition, method: string, path: string, params: Record<string, string> = {}, body?: unknown) {
  if (definition.kind !== 'http') throw new Error(`${definition.name} is not an HTTP function`);
  const request = new HttpRequest({
    method,
    url: `http://localhost/api/${path}`,
    params,
    headers: { authorization: `Bearer ${await stack.apiToken()}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
  return definition.handler(
    request,
    createInvocationContext(definition.name, () => undefined),
    host.runtimes[0],
  );
}
let finalHealth: { status: number; body: unknown } | undefined;
let finalFindings: { value: unknown[]; unscanned: unknown[] } | undefined;

beforeAll(async () => {
  const begun = performance.now();
  stack = await startTestStack({ scenario: replayScenario(start) });
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(REPLAY_VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=${TEAMS_SIG}`);
  host = await startReplayHost(stack, replaySettings(sinks), start);
  const step = async (day: number, what: () => Promise<unknown>) => {
    await host.runUntil(at(day));
    await what();
  };
  const admin = stack.admin;
  await step(SCRIPT.creatioRotated, () =>
    admin('/admin/applications/Creatio CRM/password-credentials', { displayName: '2027', endInDays: 365 }),
  );
  await step(SCRIPT.tokenRevoked, () => admin(`/admin/tenants/${TENANT}/users/${HELPDESK}/revoke-sessions`, {}));
  await step(SCRIPT.tokenRestored, async () => {
    // The helpdesk signs in again and the operator stores the new token where the old one was.
    const { refreshToken } = (await admin(`/admin/tenants/${TENANT}/refresh-tokens`, {
      client: 'Cerb Helpdesk',
      user: HELPDESK,
      scopes: ['offline_access', IMAP],
    })) as { refreshToken: string };
    const vault = stack.secretClient(REPLAY_VAULT);
    const { properties } = await vault.getSecret('cerb-mailbox');
    await vault.setSecret('cerb-mailbox', refreshToken, { tags: properties.tags! });
  });
  const fabrikamRoles = (roles: string[]) =>
    admin(`/admin/tenants/${OTHER_TENANT}/service-principals/Vigil/roles`, { resource: GRAPH, roles });
  await step(SCRIPT.permissionLost, () => fabrikamRoles([]));
  await step(SCRIPT.permissionBack, () => fabrikamRoles(['Application.Read.All']));
  await step(SCRIPT.graphDown, () =>
    // Retry-After: 0, so the scanner's and mail's in-process retries (real sleeps) do not hold the replay.
    admin('/admin/faults', {
      service: 'graph',
      path: '.*',
      action: { kind: 'status', status: 503, retryAfterSeconds: 0 },
      times: 1_000_000,
    }),
  );
  await step(SCRIPT.graphUp, () => admin('/admin/faults', undefined, 'DELETE'));
  await step(SCRIPT.snoozed, async () => {
    read();
    findings['snoozed'] = findingNamed('Snoozed portal');
    const { status } = await call(
      snoozeFinding,
      'POST',
      `findings/${findings['snoozed']}/snooze`,
      { id: findings['snoozed'] },
      {
        days: SCRIPT.snoozeDays,
        reason: 'vendor renews it next week',
        by: 'ana@contoso.com',
      },
    );
    expect(status, `day ${SCRIPT.snoozed}: the snooze is accepted`).toBe(201);
  });
  await step(SCRIPT.stormStart, () =>
    admin('/admin/faults', {
      service: 'entra',
      path: '/oauth2/v2.0/token$',
      method: 'POST',
      action: { kind: 'status', status: 429 },
      times: 1_000_000,
    }),
  );
  await step(SCRIPT.stormEnd, () => admin('/admin/faults', undefined, 'DELETE'));
  // Someone removes Vigil's role assignment on the vault, and puts it back two days later.
  const vault = stack.cloud.context.store.vault(REPLAY_VAULT)!;
  await step(SCRIPT.vaultRoleLost, async () => (vault.allowedAppIds = vault.allowedAppIds.filter((id) => id !== VIGIL_APP_ID)));
  await step(SCRIPT.vaultRoleBack, async () => (vault.allowedAppIds = [...vault.allowedAppIds, VIGIL_APP_ID]));
  await host.runUntil(at(SCRIPT.end));
  read();
  const health = await call(getHealth, 'GET', 'health');
  finalHealth = { status: health.status ?? 200, body: health.jsonBody };
  finalFindings = (await call(listFindings, 'GET', 'findings')).jsonBody as typeof finalFindings;
  runtimeSeconds = (performance.now() - begun) / 1000;
  // The file's cost, for whoever keeps `npm test` fast.
  console.log(
    `replay: ${runtimeSeconds.toFixed(1)} s; ${tickets.length} tickets, ${messages.length} messages; ` +
      [...host.spent].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', '),
  );
}, 600_000);
afterAll(async () => {
  await host?.stop();
  await stack?.stop();
});

/** Where the script breaks something Vigil must report as could-not-check or failing, in replay days. */
const DISRUPTIONS = [
  {
    what: 'the Cerb token revoked',
    type: 'token.refresh_failed',
    names: ['cerb-mailbox'],
    from: SCRIPT.tokenRevoked,
    to: SCRIPT.tokenRestored,
  },
  {
    what: "Fabrikam's Graph permission lost",
    type: 'scan.failed',
    names: ['Fabrikam'],
    from: SCRIPT.permissionLost,
    to: SCRIPT.permissionBack,
  },
  { what: 'the Graph outage', type: 'scan.failed', names: ['Contoso', 'Fabrikam'], from: SCRIPT.graphDown, to: SCRIPT.graphUp },
  { what: 'the token-endpoint storm', type: 'scan.failed', names: ['Contoso', 'Fabrikam'], from: SCRIPT.stormStart, to: SCRIPT.stormEnd },
  { what: "the vault's role removed", type: 'vault.failed', names: ['Key Vault'], from: SCRIPT.vaultRoleLost, to: SCRIPT.vaultRoleBack },
] as const;
const FAILURES = new Set([
  'token.refresh_failed',
  'token.misconfigured',
  'scan.failed',
  'vault.failed',
  'delivery.failed',
  'queue.poisoned',
]);
/** A scan or refresh runs at least daily, so a disruption is seen within a day of its start (and its end). */
const DETECTION_DAYS = 1;
const fmt = (day: number) => `day ${day.toFixed(2)}`;

describe('180 days of two tenants, replayed', () => {
  it('gets the could-not-check of a 6.5-hour token-endpoint storm to a person: Teams during it, mail within the deadline', () => {
    const from = SCRIPT.stormStart;
    const to = SCRIPT.stormEnd;
    expect((to - from) * 24, 'the storm lasts at least 6 hours').toBeGreaterThanOrEqual(6);
    for (const tenant of ['Contoso', 'Fabrikam']) {
      const failed = tickets.filter(
        (t) => t.type === 'scan.failed' && t.summary.includes(tenant) && t.hour >= from * 24 && t.hour < to * 24,
      );
      expect(
        failed.map((t) => t.reason),
        `${fmt(from)}: a ticket says ${tenant} could not be checked during the storm`,
      ).toContain('new');
      const cards = heard(tenant, from, to).filter((m) => m.channel === 'teams' && /could not check/i.test(m.text));
      expect(cards.length, `${fmt(from)}–${fmt(to)}: a Teams card (cached URL) says ${tenant} could not be checked`).toBeGreaterThanOrEqual(
        1,
      );
      const mails = heard(tenant, from, from + 1).filter((m) => m.channel === 'mail' && /could not check/i.test(m.text));
      expect(mails.length, `${fmt(to)}: the mail about ${tenant} arrives once the storm ends, within the 24-hour deadline`).toBe(1);
    }
  });

  it('reports every disruption of the script to a person, within a day (could-not-check recall 100%)', () => {
    for (const d of DISRUPTIONS) {
      for (const name of d.names) {
        const opened = tickets.find(
          (t) =>
            t.type === d.type &&
            t.reason === 'new' &&
            t.summary.includes(name) &&
            t.hour >= d.from * 24 &&
            t.hour < (d.to + DETECTION_DAYS) * 24,
        );
        expect(opened, `${fmt(d.from)}: ${d.what}: a ${d.type} ticket naming ${name}`).toBeDefined();
        const told = heard(name, d.from, d.from + DETECTION_DAYS + 1).filter((m) => m.hour >= opened!.hour);
        expect(told.length, `${fmt(d.from)}: ${d.what}: a mail or Teams card naming ${name}`).toBeGreaterThanOrEqual(1);
        const closed = ticketsOf(opened!.finding).find((t) => t.reason === 'recovered' && t.hour > opened!.hour);
        expect(closed, `${fmt(d.to)}: ${d.what}: its recovery is told`).toBeDefined();
        expect(closed!.hour, `${fmt(d.to)}: ${d.what}: recovered only once it was over`).toBeGreaterThanOrEqual(d.to * 24);
        expect(closed!.hour, `${fmt(d.to)}: ${d.what}: recovered within a day of its end`).toBeLessThan((d.to + DETECTION_DAYS) * 24);
      }
    }
  });

  it('raises no false alert: every failure is inside a disruption of the script', () => {
    for (const t of tickets.filter((t) => FAILURES.has(t.type) && t.reason === 'new')) {
      const cause = DISRUPTIONS.find((d) => t.hour >= d.from * 24 && t.hour < (d.to + DETECTION_DAYS) * 24);
      expect(cause, `${fmt(t.hour / 24)}: ${t.type} "${t.summary}" has no cause in the script`).toBeDefined();
    }
  });

  it('announces every lapse at least 15 days ahead', () => {
    for (const [name, end] of [
      ['Payroll export', ENDS.payroll],
      ['Snoozed portal', ENDS.snoozed],
      ['Fabrikam billing', ENDS.fabrikam],
    ] as const) {
      const first = ticketsOf(findingNamed(name))[0]!;
      expect(first.day, `day ${end}: ${name} lapses; first told on day ${first.day}`).toBeLessThanOrEqual(end - 15);
      expect(heard(name, 0, end - 15).length, `${name}: a person is told by mail or Teams before day ${end - 15}`).toBeGreaterThanOrEqual(
        1,
      );
    }
  });

  it('reminds by the documented policy: daily in the last week, then 1, 3, 7 days and weekly after a lapse, six times at most', () => {
    const payroll = ticketsOf(findingNamed('Payroll export'));
    const lastWeek = [...new Set(payroll.filter((t) => t.day >= ENDS.payroll - 7 && t.day < ENDS.payroll).map((t) => t.day))];
    expect(lastWeek, 'Payroll export: a notice on each of its last 7 days').toEqual([43, 44, 45, 46, 47, 48, 49]);
    const reminders = payroll.filter((t) => t.reason === 'reminder' && t.day > ENDS.payroll).map((t) => t.day - ENDS.payroll);
    expect(reminders, `Payroll export lapsed on day ${ENDS.payroll}: reminded on days after`).toEqual([1, 3, 7, 14, 21, 28]);
    const last = heard('Payroll export', ENDS.payroll + 28, ENDS.payroll + 29).filter((m) => m.channel === 'mail');
    expect(last.map((m) => m.text).join('\n'), `day ${ENDS.payroll + 28}: the last reminder says so`).toMatch(/last reminder/i);
    expect(heard('Payroll export', ENDS.payroll + 29, SCRIPT.end), 'Payroll export: nothing after the last reminder').toEqual([]);
  });

  it('stops reminding on a fix', () => {
    const creatio = ticketsOf(findingNamed('Creatio CRM'));
    expect(
      creatio.filter((t) => t.day >= SCRIPT.creatioRotated).map((t) => `${t.day} ${t.reason}`),
      `day ${SCRIPT.creatioRotated}: Creatio CRM rotated: one all-clear, then nothing`,
    ).toEqual([`${Math.ceil(SCRIPT.creatioRotated)} recovered`]);
    const token = ticketsOf(findingNamed('cerb-mailbox'));
    const recovered = token.find((t) => t.reason === 'recovered')!;
    expect(recovered.day, `day ${SCRIPT.tokenRestored}: the token works again`).toBe(Math.ceil(SCRIPT.tokenRestored));
    expect(
      token.filter((t) => t.hour > recovered.hour),
      'nothing about the token after its all-clear',
    ).toEqual([]);
    expect(
      token.filter((t) => t.reason === 'reminder').map((t) => t.day - token[0]!.day),
      'reminded on days 1 and 3 after the failure',
    ).toEqual([1, 3]);
  });

  it('holds a snooze to the minute and re-alerts at its end at once', () => {
    const id = findings['snoozed']!;
    const end = SCRIPT.snoozed + SCRIPT.snoozeDays;
    const during = ticketsOf(id).filter((t) => t.hour > SCRIPT.snoozed * 24 && t.hour < end * 24);
    expect(during, `days ${SCRIPT.snoozed}–${end}: nothing while snoozed`).toEqual([]);
    expect(heard('Snoozed portal', SCRIPT.snoozed, end), `days ${SCRIPT.snoozed}–${end}: no mail or card while snoozed`).toEqual([]);
    const after = ticketsOf(id).find((t) => t.hour >= end * 24)!;
    expect(after.reason, `${fmt(end)}: the snooze ends`).toBe('reminder');
    expect((after.hour - end * 24) * 60, `${fmt(end)}: re-alerted within 10 minutes of the snooze's end`).toBeLessThan(10);
    const mail = heard('Snoozed portal', end, end + 1 / 24).filter((m) => m.channel === 'mail');
    expect(mail.map((m) => m.text).join('\n'), `${fmt(end)}: the mail says the snooze ended`).toMatch(/snooze ended/i);
  });

  it('alerts a vault that lost its role, names the role, and tells its recovery', () => {
    const failed = tickets.find((t) => t.type === 'vault.failed' && t.hour >= SCRIPT.vaultRoleLost * 24)!;
    expect(failed, `${fmt(SCRIPT.vaultRoleLost)}: vault.failed`).toBeDefined();
    expect(failed.summary).toMatch(/missing role/i);
    const mail = heard(/could not list Key Vault/, SCRIPT.vaultRoleLost, SCRIPT.vaultRoleLost + 1).filter((m) => m.channel === 'mail');
    expect(mail.length, `${fmt(SCRIPT.vaultRoleLost)}: a mail about the vault (mail does not need the vault)`).toBe(1);
    expect(mail[0]!.text).toMatch(/Key Vault Secrets Officer/);
    const recovered = ticketsOf(failed.finding).filter((t) => t.reason === 'recovered' && t.hour > SCRIPT.vaultRoleBack * 24);
    expect(recovered.length, `${fmt(SCRIPT.vaultRoleBack)}: the vault's recovery, once`).toBe(1);
  });

  it('sends no duplicate, though two instances deliver at once', () => {
    const ids = tickets.map((t) => t.id);
    expect(ids.length - new Set(ids).size, 'the same CloudEvent delivered twice').toBe(0);
    const seen = new Map<string, number>();
    for (const t of tickets) {
      const key = `day ${t.day}: ${t.reason} ${t.type} ${t.dedupeKey}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(
      [...seen].filter(([, n]) => n > 1).map(([key]) => key),
      'tickets told twice the same day',
    ).toEqual([]);
    const mails = messages
      .filter((m) => m.channel === 'mail')
      .map((m) => `${m.subject}\n${m.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '')}`);
    expect(mails.length - new Set(mails).size, 'the same mail sent twice').toBe(0);
  });

  it('never gives an all-clear for something it had not announced, nor while the problem lasts', () => {
    for (const t of tickets.filter((t) => t.reason === 'recovered')) {
      const before = ticketsOf(t.finding).filter((o) => o.hour < t.hour);
      expect(before.length, `${fmt(t.hour / 24)}: "${t.summary}" without an earlier notice`).toBeGreaterThan(0);
      expect(before.at(-1)!.reason, `${fmt(t.hour / 24)}: "${t.summary}" twice`).not.toBe('recovered');
    }
    const resolved = messages.filter((m) => m.channel === 'mail' && /resolved/i.test(m.subject));
    // Vigil's own delivery failures are told to people (mail and Teams), never on a webhook: their recovery
    // must follow a mail or card that said delivery failed; every other recovery, a ticket's recovery.
    const deliveryFailureToldBefore = (m: Message) =>
      messages.some(
        (o) =>
          o.hour < m.hour && /could not deliver|not been able to deliver|notification delivery failed/i.test(`${o.subject}\n${o.text}`),
      );
    for (const m of resolved)
      expect(
        /delivers to .* again/i.test(m.subject)
          ? deliveryFailureToldBefore(m)
          : tickets.some((t) => t.reason === 'recovered' && Math.abs(t.hour - m.hour) < 1),
        `${fmt(m.day)}: "${m.subject}" matches a recovery`,
      ).toBe(true);
  });

  it('ends with the API listing what is still open, nothing unchecked, and a healthy app', () => {
    expect(finalHealth, `day ${SCRIPT.end}: GET /api/health`).toMatchObject({ status: 200 });
    expect(finalFindings!.unscanned, `day ${SCRIPT.end}: no tenant left unchecked`).toEqual([]);
    const open = JSON.stringify(finalFindings!.value);
    for (const name of ['Payroll export', 'Snoozed portal', 'Fabrikam billing'])
      expect(open, `day ${SCRIPT.end}: ${name}, lapsed and never fixed, is still listed`).toContain(name);
  });
});
