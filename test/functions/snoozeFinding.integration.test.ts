import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNotifications } from '../../functions/getNotifications.js';
import { HttpRequest, InvocationContext } from '../../functions/azureFunctions.js';
import { snoozeFinding } from '../../functions/snoozeFinding.js';
import { unsnoozeFinding } from '../../functions/unsnoozeFinding.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { findingOf } from '../../shared/notifications/findingOf.js';
import { expiring, tokenFailed } from '../shared/notifications/notificationFixtures.js';
import { SIGNING, startNotificationStack, TEAMS_SIG, utcNow, type NotificationStack } from '../shared/notifications/notificationStack.js';

type Http = Extract<FunctionDefinition, { kind: 'http' }>;
let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack();
});
afterAll(async () => n?.stack.stop());

const call = async (
  definition: FunctionDefinition,
  init: { method: string; id?: string; body?: unknown; query?: Record<string, string>; token?: string | null },
) => {
  const token = init.token === undefined ? await n.stack.apiToken() : init.token;
  const authorization: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const request = new HttpRequest({
    method: init.method,
    // The query in the URL, as the host gives it: a nextLink is made from the request's URL.
    url: `http://localhost/api/${init.id ? `findings/${init.id}/snooze` : 'notifications'}?${new URLSearchParams(init.query ?? {}).toString()}`,
    params: init.id ? { id: init.id } : {},
    headers: { ...authorization, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: { string: JSON.stringify(init.body) } }),
  });
  const response = await (definition as Http).handler(request, new InvocationContext({ functionName: definition.name }), n.runtime);
  const body = response.jsonBody ?? (typeof response.body === 'string' ? (JSON.parse(response.body) as unknown) : undefined);
  return { status: response.status, body: body as Record<string, unknown> };
};

describe('POST and DELETE /api/findings/{id}/snooze', () => {
  it('snoozes a reported finding with a reason, a person and an end, then lifts it', async () => {
    const event = expiring({ app: 'Creatio snooze', appObjectId: 'a-snooze', daysLeft: 20, now: utcNow() });
    const id = findingOf(event).id;
    await n.runtime.events.publish([event]);

    const snoozed = await call(snoozeFinding, {
      method: 'POST',
      id,
      body: { days: 5, reason: 'replacing the app next week', by: 'ana@contoso.com' },
    });
    expect(snoozed.status).toBe(201);
    expect(snoozed.body).toMatchObject({
      findingId: id,
      name: 'Creatio snooze',
      type: 'credential.expiring',
      snooze: { reason: 'replacing the app next week', by: 'ana@contoso.com' },
    });
    expect((await n.runtime.notifications.state.getFinding(id))?.snooze?.by).toBe('ana@contoso.com');

    expect((await call(unsnoozeFinding, { method: 'DELETE', id })).status).toBe(204);
    expect((await n.runtime.notifications.state.getFinding(id))?.snooze).toBeUndefined();
  });

  it('refuses a snooze past the expiry plus the margin, or longer than 90 days, with a problem document', async () => {
    const event = expiring({ app: 'Creatio short', appObjectId: 'a-short', daysLeft: 3, now: utcNow() });
    await n.runtime.events.publish([event]);
    const tooLong = await call(snoozeFinding, {
      method: 'POST',
      id: findingOf(event).id,
      body: { days: 30, reason: 'x', by: 'ana@contoso.com' },
    });
    expect(tooLong).toMatchObject({
      status: 422,
      body: { title: 'Snooze refused', detail: expect.stringMatching(/a snooze may last until 7 day\(s\) after that at most/) },
    });

    const token = tokenFailed('snooze-conn', utcNow());
    await n.runtime.events.publish([token]);
    const beyondMax = await call(snoozeFinding, {
      method: 'POST',
      id: findingOf(token).id,
      body: { days: 91, reason: 'x', by: 'ana@contoso.com' },
    });
    expect(beyondMax).toMatchObject({ status: 422, body: { detail: expect.stringMatching(/^until may be at most 90 days ahead/) } });
  });

  it('answers 400 for a bad body or id and 404 for a finding Vigil never reported', async () => {
    expect((await call(snoozeFinding, { method: 'POST', id: 'f-00000000000000000000', body: { days: 1 } })).status).toBe(400);
    expect((await call(snoozeFinding, { method: 'POST', id: 'nonsense', body: { days: 1, reason: 'r', by: 'b' } })).status).toBe(400);
    expect(
      (await call(snoozeFinding, { method: 'POST', id: 'f-00000000000000000000', body: { days: 1, reason: 'r', by: 'b' } })).status,
    ).toBe(404);
    expect((await call(unsnoozeFinding, { method: 'DELETE', id: 'f-00000000000000000000' })).status).toBe(404);
  });
});

describe('GET /api/notifications', () => {
  it('lists the delivery log newest first, without secret values', async () => {
    await n.drain();
    await n.runtime.events.publish([expiring({ app: 'Creatio log', appObjectId: 'a-log', now: utcNow() })]);
    await n.drain();
    const { status, body } = await call(getNotifications, { method: 'GET', query: { route: 'ops', $top: '2' } });
    expect(status).toBe(200);
    const entries = body['value'] as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e['channel']).sort()).toEqual(['mail', 'teams:ops']);
    expect(entries[0]).toMatchObject({ route: 'ops', outcome: 'delivered', attempt: 1, types: ['credential.expiring'] });
    const all = JSON.stringify((await call(getNotifications, { method: 'GET', query: { $top: '1000' } })).body);
    for (const secret of [TEAMS_SIG, ...Object.values(SIGNING)]) expect(all).not.toContain(secret);
    expect(all).not.toContain('sig=');
    expect((await call(getNotifications, { method: 'GET', query: { $top: '0' } })).status).toBe(400);
  });

  it('pages the log with nextLink, each page newest first, the route kept, and a foreign token refused', async () => {
    const whole = (await call(getNotifications, { method: 'GET', query: { route: 'ops', $top: '1000' } })).body['value'] as unknown[];
    expect(whole.length).toBeGreaterThan(2);
    const paged: unknown[] = [];
    let query: Record<string, string> | undefined = { route: 'ops', $top: '2' };
    while (query) {
      const { body } = await call(getNotifications, { method: 'GET', query });
      paged.push(...(body['value'] as unknown[]));
      const next = body['nextLink'] as string | undefined;
      query = next ? Object.fromEntries(new URL(next).searchParams) : undefined;
      if (query) expect(query).toMatchObject({ route: 'ops', $top: '2' });
    }
    expect(paged).toEqual(whole);
    const first = await call(getNotifications, { method: 'GET', query: { route: 'ops', $top: '1' } });
    const token = new URL(first.body['nextLink'] as string).searchParams.get('$skipToken')!;
    // The token belongs to the route's list: with another route it is refused, not read as a position in that list.
    const foreign = await call(getNotifications, { method: 'GET', query: { route: 'dev', $skipToken: token } });
    expect(foreign).toMatchObject({ status: 400, body: { type: 'urn:vigil:problem:invalidQuery', errors: [{ field: '$skipToken' }] } });
  });
});

describe('access to the snooze and notification routes', () => {
  it('answers 401 without a token and 403 for a caller without the role', async () => {
    expect((await call(getNotifications, { method: 'GET', token: null })).status).toBe(401);
    const reader = await n.stack.apiToken('Vigil reader', 'vigil-reader-secret-0123456789');
    expect(
      (await call(snoozeFinding, { method: 'POST', id: 'f-00000000000000000000', body: { days: 1, reason: 'x' }, token: reader })).status,
    ).toBe(403);
  });
});
