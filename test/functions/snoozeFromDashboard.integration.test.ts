import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest, InvocationContext } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { getDashboard } from '../../functions/getDashboard.js';
import { snoozeFromDashboard } from '../../functions/snoozeFromDashboard.js';
import { reconnectFromDashboard } from '../../functions/reconnectFromDashboard.js';
import { mintFormToken, type FormAction } from '../../shared/dashboard/formToken.js';
import { findingOf } from '../../shared/notifications/findingOf.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { expiring, TENANT } from '../shared/notifications/notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from '../shared/notifications/notificationStack.js';

// The status page's snooze form as App Service Authentication delivers it: the signed-in person in
// x-ms-client-principal (a session cookie would carry it on a cross-site post too), so only Vigil's form
// checks stand between another site and a snooze.
type Http = Extract<FunctionDefinition, { kind: 'http' }>;
const ORIGIN = 'https://vigil.contoso.com';
const ANA = { tenantId: TENANT, objectId: 'aaaaaaaa-1111-4111-8111-111111111111' };
const BEN = { tenantId: TENANT, objectId: 'bbbbbbbb-2222-4222-8222-222222222222' };
let n: NotificationStack;
let runtime: Runtime;

beforeAll(async () => {
  n = await startNotificationStack({ VIGIL_TRUST_PLATFORM_AUTH: 'true', VIGIL_PUBLIC_BASE_URL: ORIGIN });
  runtime = n.runtime;
});
afterAll(async () => n?.stack.stop());

const principal = (who: { tenantId: string; objectId: string }, roles: string[]) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [
        { typ: 'tid', val: who.tenantId },
        { typ: 'oid', val: who.objectId },
        { typ: 'name', val: 'ana@contoso.com' },
        ...roles.map((val) => ({ typ: 'roles', val })),
      ],
    }),
  ).toString('base64');

interface Post {
  as?: { tenantId: string; objectId: string };
  roles?: string[];
  headers?: Record<string, string>;
}
async function post(fields: Record<string, string>, options: Post & { form?: Http } = {}) {
  const form = options.form ?? (snoozeFromDashboard as Http);
  const request = new HttpRequest({
    method: 'POST',
    url: `${ORIGIN}/api/${form.route}`,
    headers: {
      'x-ms-client-principal': principal(options.as ?? ANA, options.roles ?? ['Vigil.Read', 'Vigil.Rotate']),
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.headers ?? { origin: ORIGIN, 'sec-fetch-site': 'same-origin' }),
    },
    body: { string: new URLSearchParams(fields).toString() },
  });
  const response = await form.handler(request, new InvocationContext({ functionName: form.name }), runtime);
  const headers = new Headers(response.headers);
  return {
    status: response.status,
    location: headers.get('location'),
    referrerPolicy: headers.get('referrer-policy'),
    body: typeof response.body === 'string' ? response.body : '',
  };
}

async function page(query: string) {
  const request = new HttpRequest({
    method: 'GET',
    url: `${ORIGIN}/api/dashboard${query}`,
    query: Object.fromEntries(new URLSearchParams(query.split('#')[0]!.replace(/^[^?]*\?/, ''))),
    headers: { 'x-ms-client-principal': principal(ANA, ['Vigil.Read', 'Vigil.Rotate']), accept: 'text/html' },
  });
  const response = await (getDashboard as Http).handler(request, new InvocationContext({ functionName: 'getDashboard' }), runtime);
  return String(response.body);
}

const token = async (action: FormAction = 'snooze', who = ANA, at = DateTime.utc()) =>
  mintFormToken(await runtime.api.formKey(), action, who, at);
const reported = async (app: string, daysLeft: number) => {
  const event = expiring({ app, appObjectId: `o-${app}`, daysLeft, now: utcNow() });
  await runtime.events.publish([event]);
  return findingOf(event).id;
};
const snoozeOf = async (id: string) => (await runtime.notifications.state.getFinding(id))?.snooze;
const audited = async () => {
  const day = DateTime.utc().toISODate();
  const { createTableAuditLog } = await import('../../shared/adapters/storage/tableAuditLog.js');
  return createTableAuditLog(runtime.table('audit')).list(day);
};

describe('POST /api/dashboard/snooze', () => {
  it('snoozes with a valid form token, audited like the API, and the page says so and offers to end it', async () => {
    const id = await reported('Creatio form', 40);
    const answer = await post({
      token: await token(),
      action: 'snooze',
      finding: id,
      days: '7',
      reason: 'renewal booked',
      severity: 'high',
    });
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(
      new RegExp(`^/api/dashboard\\?severity=high&notice=snoozed&about=${id}&until=\\d{4}-\\d\\d-\\d\\d#notice$`),
    );
    // The page's URL (its filters, the notice) is not sent on as a Referer from the redirect.
    expect(answer.referrerPolicy).toBe('no-referrer');
    expect(await snoozeOf(id)).toMatchObject({ reason: 'renewal booked', by: 'ana@contoso.com' });
    expect(await audited()).toContainEqual(
      expect.objectContaining({
        action: 'POST /api/dashboard/snooze',
        outcome: 'snoozed',
        target: id,
        actor: expect.objectContaining({ objectId: ANA.objectId, via: 'platform' }),
      }),
    );

    const shown = await page(answer.location!.replace('/api/dashboard', ''));
    expect(shown).toMatch(new RegExp(`<p id="notice" role="status" class="ok">Snoozed <code>${id}</code> until`));
    const unsnooze = new RegExp(
      `<form method="post" action="dashboard/snooze"[^<]*<input type="hidden" name="token" value="([^"]+)"><input type="hidden" name="action" value="unsnooze"><input type="hidden" name="finding" value="${id}">`,
    ).exec(shown);
    expect(unsnooze).not.toBeNull();
    const lifted = await post({ token: unsnooze![1]!, action: 'unsnooze', finding: id });
    expect(lifted).toMatchObject({ status: 303, location: `/api/dashboard?notice=unsnoozed&about=${id}#notice` });
    expect(await snoozeOf(id)).toBeUndefined();
  });

  it('says so on the page when the snooze is refused (longer than the credential lives plus the margin)', async () => {
    const id = await reported('Creatio short form', 3);
    const answer = await post({ token: await token(), action: 'snooze', finding: id, days: '30', reason: 'x' });
    expect(answer).toMatchObject({ status: 303, location: `/api/dashboard?notice=snoozeRefused&about=${id}#notice` });
    expect(await snoozeOf(id)).toBeUndefined();
  });

  it.each([
    ['no token', async () => ({}), {}, 'formTokenMissing'],
    [
      'a token signed with another key',
      async () => ({ token: mintFormToken(Buffer.alloc(32), 'snooze', ANA, DateTime.utc()) }),
      {},
      'formTokenForged',
    ],
    ['a token made for someone else', async () => ({ token: await token('snooze', BEN) }), {}, 'formTokenForged'],
    ['a token made for another form', async () => ({ token: await token('reconnect') }), {}, 'formTokenForged'],
    ['an expired token', async () => ({ token: await token('snooze', ANA, DateTime.utc().minus({ hours: 13 })) }), {}, 'formTokenExpired'],
    ['a cross-site Origin', async () => ({ token: await token() }), { headers: { origin: 'https://evil.example' } }, 'crossSiteForm'],
    [
      'Sec-Fetch-Site cross-site',
      async () => ({ token: await token() }),
      { headers: { origin: ORIGIN, 'sec-fetch-site': 'cross-site' } },
      'crossSiteForm',
    ],
    ['no Origin or Referer', async () => ({ token: await token() }), { headers: {} }, 'crossSiteForm'],
  ] as Array<[string, () => Promise<Record<string, string>>, Post, string]>)(
    'refuses %s with 403 and changes nothing',
    async (_what, fields, options, reason) => {
      const id = await reported(`Creatio ${reason} ${_what}`, 40);
      const answer = await post({ ...(await fields()), action: 'snooze', finding: id, days: '7', reason: 'forged' }, options);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 403, reason });
      expect(await snoozeOf(id)).toBeUndefined();
      expect(await audited()).toContainEqual(
        expect.objectContaining({ action: 'POST /api/dashboard/snooze', outcome: 'forbidden', reason }),
      );
    },
  );

  it.each([
    ['a body that is not a form', { 'content-type': 'application/json' }, {}, 415, 'unsupportedMediaType', 'notAForm'],
    ['an unknown field', {}, { colour: 'red' }, 400, 'invalidBody', 'invalidFields'],
    ['a snooze length the page does not offer', {}, { days: '9' }, 400, 'invalidBody', 'invalidFields'],
  ] as Array<[string, Record<string, string>, Record<string, string>, number, string, string]>)(
    'refuses %s, changes nothing, and audits the refusal',
    async (what, headers, extra, status, outcome, reason) => {
      const id = await reported(`Creatio ${what}`, 40);
      const answer = await post(
        { token: await token(), action: 'snooze', finding: id, days: '7', reason: 'x', ...extra },
        { headers: { origin: ORIGIN, 'sec-fetch-site': 'same-origin', ...headers } },
      );
      expect(answer.status).toBe(status);
      expect(await snoozeOf(id)).toBeUndefined();
      expect(await audited()).toContainEqual(
        expect.objectContaining({
          action: 'POST /api/dashboard/snooze',
          outcome,
          reason,
          status,
          actor: expect.objectContaining({ objectId: ANA.objectId }),
        }),
      );
    },
  );

  it('refuses a caller without Vigil.Rotate, who also sees no form', async () => {
    const id = await reported('Creatio reader', 40);
    const answer = await post({ token: await token(), action: 'snooze', finding: id, days: '7', reason: 'x' }, { roles: ['Vigil.Read'] });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ missingRole: 'Vigil.Rotate' });
    expect(await snoozeOf(id)).toBeUndefined();
    const request = new HttpRequest({
      method: 'GET',
      url: `${ORIGIN}/api/dashboard`,
      headers: { 'x-ms-client-principal': principal(ANA, ['Vigil.Read']), accept: 'text/html' },
    });
    const html = String(
      (await (getDashboard as Http).handler(request, new InvocationContext({ functionName: 'getDashboard' }), runtime)).body,
    );
    expect(html).not.toContain('name="token"');
  });
});

describe('POST /api/dashboard/reconnect', () => {
  it('sends the browser back to the page saying why when no link can be made, without a Referer, audited', async () => {
    const answer = await post(
      { token: await token('reconnect'), name: 'no-such-connection', vault: runtime.settings.VIGIL_KEY_VAULT_URLS[0]!, severity: 'high' },
      { form: reconnectFromDashboard as Http },
    );
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/api\/dashboard\?severity=high&notice=\w+&about=no-such-connection#notice$/);
    expect(answer.referrerPolicy).toBe('no-referrer');
    expect(await audited()).toContainEqual(
      expect.objectContaining({ action: 'POST /api/dashboard/reconnect', target: expect.stringContaining('no-such-connection') }),
    );
  });
});

describe('GET /api/dashboard?format=csv', () => {
  it('is a download no cache keeps, as the page is', async () => {
    const request = new HttpRequest({
      method: 'GET',
      url: `${ORIGIN}/api/dashboard?format=csv`,
      query: { format: 'csv' },
      headers: { 'x-ms-client-principal': principal(ANA, ['Vigil.Read']) },
    });
    const response = await (getDashboard as Http).handler(request, new InvocationContext({ functionName: 'getDashboard' }), runtime);
    expect(response.status).toBe(200);
    expect(new Headers(response.headers).get('content-type')).toBe('text/csv; charset=utf-8');
    expect(new Headers(response.headers).get('cache-control')).toBe('no-store');
  });
});
