import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import { deliverNotificationQueue } from '../../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../../functions/flushDigestQueue.js';
import { serveHttpFunctions } from '../../local/devhost/serveHttpFunctions.js';
import type { VigilEvent } from '../../shared/events/vigilEvent.js';
import { findingOf } from '../../shared/notifications/findingOf.js';
import { createAuthorizationServer } from '../../shared/adapters/entra/createAuthorizationServer.js';
import { createVigilFaultLog } from '../../shared/adapters/http/createVigilFaultLog.js';
import { hashSecret, mintSignInLink } from '../../shared/signIn/mintSignInLink.js';
import { refreshPlannerTimer } from '../../functions/refreshPlannerTimer.js';
import { remindOpenFindings } from '../../shared/notifications/remindOpenFindings.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';
import { refreshConnection } from '../../shared/tokens/refreshConnection.js';
import { toRefreshDeps } from '../../shared/wiring/createTokenKeeper.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { graphStats } from '../../local/cloud/graph/graphStats.js';
import { selfSignedCertificate } from '../support/selfSignedCertificate.js';
import { signInAtLocalEntra } from '../support/signInAtLocalEntra.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { tokenEndpointFault } from '../support/tokenEndpointFault.js';
import { TENANT, VAULT, VIGIL_SECRET } from '../support/testScenario.js';
import {
  CERB_SECRET,
  HELPDESK,
  IMAP,
  LEGACY_APP_ID,
  LEGACY_SECRET,
  OPS,
  WEBHOOK_KEY,
  reconnectLinksInTeams,
  signInRoutes,
  signInScenario,
} from '../shared/signIn/signInScenario.js';
import { drainQueues } from '../support/drainQueues.js';

// The whole loop over HTTP, as a person's browser would drive it: the link an alert carried, Vigil's
// landing page, the local Entra's sign-in and consent pages, and Vigil's redirect URI.
let stack: TestStack;
let runtime: Runtime;
let api = '';
let closeApi: () => Promise<void>;
const events: VigilEvent[] = [];
const logs: string[] = [];
const pages: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);

beforeAll(async () => {
  stack = await startTestStack({ scenario: signInScenario() });
  const routes = await signInRoutes(stack);
  // Production wiring; what producers publish is also kept here to be checked.
  const capture = <T extends { publish: (e: readonly VigilEvent[]) => Promise<void> }>(inner: T) => ({
    publish: async (e: readonly VigilEvent[]) => (events.push(...e), inner.publish(e)),
  });
  // On the port the server listens on, which the runtime's links then name.
  const server = await serveHttpFunctions(
    functionDefinitions,
    (origin) => {
      const base = stack.runtimeWith({ VIGIL_PUBLIC_BASE_URL: origin, VIGIL_ROUTES: routes });
      runtime = {
        ...base,
        tokenKeeper: { ...base.tokenKeeper, events: capture(base.tokenKeeper.events) },
        signIn: base.signIn && { ...base.signIn, flow: { ...base.signIn.flow, events: capture(base.signIn.flow.events) } },
      };
      return runtime;
    },
    sink,
    0,
  );
  api = server.url;
  closeApi = server.close;
  await stack.admin(`/admin/tenants/${TENANT}/users/${HELPDESK.username}/revoke-sessions`, {});
});
afterAll(async () => {
  await closeApi?.();
  await stack?.stop();
});

const refresh = (name: string) =>
  refreshConnection(toRefreshDeps(runtime.tokenKeeper, runtime.tokenKeeper.stores[0]!), { vaultUrl: vaultUrl(), name }, DateTime.utc());
const vaultUrl = () => stack.cloud.endpoints.vaults[VAULT]!;
const versions = async (name: string) => {
  const list = [];
  for await (const v of stack.secretClient(VAULT).listPropertiesOfSecretVersions(name)) list.push(v);
  return list;
};
const deliver = () => drainQueues([flushDigestQueue, deliverNotificationQueue], runtime, sink);
const webhooks = async () =>
  ((await stack.admin('/admin/webhooks')) as Array<{ body: string; verified: boolean }>).map(
    (w) => JSON.parse(w.body) as { type: string; data: VigilEvent },
  );
const apiToken = () => stack.apiToken();

/** Opens a link like a browser: the landing page, its button, then the local Entra's pages, then Vigil's redirect URI. */
async function followLink(link: string, person: { username: string; password: string; consent?: 'accept' | 'cancel' }) {
  const landing = await fetch(link);
  const landingHtml = await landing.text();
  pages.push(landingHtml);
  if (landing.status !== 200) return { status: landing.status, html: landingHtml, callback: undefined };
  const started = await fetch(link, { method: 'POST', redirect: 'manual' });
  if (started.status !== 303) return { status: started.status, html: await started.text(), callback: undefined };
  const entra = await signInAtLocalEntra(started.headers.get('location')!, person);
  if (entra.kind !== 'redirect') throw new Error(`Entra stopped: ${entra.html.slice(0, 300)}`);
  const back = await fetch(entra.location.toString());
  const html = await back.text();
  pages.push(html);
  return { status: back.status, html, callback: entra.location.toString() };
}

const signInRows = async () => {
  let n = 0;
  for await (const _ of runtime.table('signIns').listEntities()) n++;
  return n;
};

const cerbAlerts = async () =>
  (await webhooks()).filter((w) => w.type === 'vigil.token.refresh_failed' && w.data.subject.displayName === 'cerb-mailbox');

describe('reconnect by the link an alert carried', () => {
  let link = '';
  let before = 0;

  it('gives the Teams card of a revoked connection a link minted as it is sent, and the webhook and event log none', async () => {
    const run = await refresh('cerb-mailbox');
    expect(run.kind === 'attempted' && run.state.status === 'failing' && run.state.failureClass).toBe('revoked');
    await deliver();
    const cards = (await reconnectLinksInTeams(stack)).filter((l) => l.connection === 'cerb-mailbox');
    expect(cards).toHaveLength(1);
    link = cards[0]!.url;
    expect(link).toMatch(new RegExp(`^${api}/sign-in/[A-Za-z0-9_-]{43}$`));
    const [alert] = await cerbAlerts();
    expect(alert?.data.fix).toContain(`${HELPDESK.username} signs in again to reconnect it`);
    // No copy of a live link where it would outlive its use: webhooks, the event log, the outbox.
    expect(JSON.stringify(await stack.admin('/admin/webhooks'))).not.toContain('/sign-in/');
    for (const table of ['events', 'outbox', 'notifyState', 'digests'] as const)
      for await (const row of runtime.table(table).listEntities()) expect(JSON.stringify(row)).not.toContain('/sign-in/');
    before = (await versions('cerb-mailbox')).length;
  });

  it('gives a reminder a week later a fresh link of its own', async () => {
    const lifecycle = runtime.notifications.lifecycle!;
    const run = await remindOpenFindings(lifecycle, DateTime.utc().plus({ days: 8 }));
    expect(run.reminded).toBeGreaterThan(0);
    await deliver();
    const cards = (await reconnectLinksInTeams(stack)).filter((l) => l.connection === 'cerb-mailbox');
    expect(cards).toHaveLength(2);
    expect(cards[1]!.url).not.toBe(link);
    // The owner signs in below through the reminder's link: the one a person would find newest.
    link = cards[1]!.url;
  });

  it('offers Reconnect on the status page without making a link per view; the button makes one and opens it', async () => {
    const links = signInRows;
    const [rowsBefore, graphBefore] = [await links(), graphStats(stack.cloud.context).requests];
    const authorization = `Bearer ${await apiToken()}`;
    const page = await (await fetch(`${api}/dashboard`, { headers: { authorization } })).text();
    // A page view reads Vigil's tables only: no sign-in row, no Graph read of the app.
    expect([await links(), graphStats(stack.cloud.context).requests]).toEqual([rowsBefore, graphBefore]);
    expect(page).not.toContain('/sign-in/');
    const form = /<form method="post" action="dashboard\/reconnect"[^]*?<\/form>/.exec(page)?.[0] ?? '';
    expect(form).toContain('<input type="hidden" name="name" value="cerb-mailbox">');
    const fields = Object.fromEntries(
      [...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]),
    );
    const posted = await fetch(`${api}/dashboard/reconnect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization, origin: new URL(api).origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toMatch(new RegExp(`^${api}/sign-in/[A-Za-z0-9_-]{43}$`));
    expect(await links()).toBe(rowsBefore + 1);
    const landing = await (await fetch(posted.headers.get('location')!)).text();
    expect(landing).toContain(HELPDESK.username);
  });

  it('refuses someone other than the owner, stores nothing and tells the route once', async () => {
    const { status, html } = await followLink(link, OPS);
    expect(status).toBe(403);
    expect(html).toContain(`${OPS.username} signed in, not the owner ${HELPDESK.username}`);
    expect((await versions('cerb-mailbox')).length).toBe(before);
    const refusal = events.find((e) => e.type === 'token.sign_in_refused');
    expect(refusal?.data).toMatchObject({ reason: 'wrongUser', signedInAs: OPS.username });
    await deliver();
    expect((await webhooks()).filter((w) => w.type === 'vigil.token.sign_in_refused')).toHaveLength(1);
    // The alert that asked for the sign-in stays open on its route: its reminders go on.
    const open = (await runtime.notifications.state.listOpen()).map((o) => o.findingId);
    expect(open).toContain(findingOf((await cerbAlerts())[0]!.data).id);
  });

  it('refuses an expired link, and asks the routes for a fresh one', async () => {
    const ref = { vaultUrl: vaultUrl(), name: 'cerb-mailbox' };
    const old = await mintSignInLink(runtime.signIn!.requests, { kind: 'reconnect', ref }, 'alert', DateTime.utc().minus({ days: 8 }));
    const expired = await fetch(old.url);
    expect(expired.status).toBe(410);
    const page = await expired.text();
    expect(page).toContain('the link had expired');
    expect(page).toContain('has been told');
    expect(events.find((e) => e.type === 'token.sign_in_refused' && e.data.reason === 'expired')).toBeDefined();
  });

  it('lets the owner sign in once: one new version with the tags, healthy, finding closed, notice sent', async () => {
    const { status, html, callback } = await followLink(link, HELPDESK);
    expect(status, html).toBe(200);
    expect(html).toContain('cerb-mailbox works again');
    const all = await versions('cerb-mailbox');
    expect(all.length).toBe(before + 1);
    const newest = all.sort((a, b) => b.createdOn!.getTime() - a.createdOn!.getTime())[0]!;
    expect(newest.tags).toMatchObject({
      'vigil-kind': 'delegated-refresh-token',
      'vigil-client-id': stack.cloud.seed!.appIds['Cerb Helpdesk'],
      'vigil-owner': HELPDESK.username,
      'vigil-granted-scopes': IMAP,
    });
    const state = await runtime.tokenKeeper.states.get({ vaultUrl: vaultUrl(), name: 'cerb-mailbox' });
    expect(state?.status).toBe('healthy');
    expect(events.map((e) => e.type)).toContain('token.connected');
    await deliver();
    expect((await webhooks()).map((w) => w.type)).toContain('vigil.token.recovered');

    // The same link, and the same answer from Entra, a second time: both refused, nothing stored.
    expect((await fetch(link)).status).toBe(410);
    const replay = await fetch(callback!);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('does not belong to a sign-in Vigil started, or it was already used');
    expect((await versions('cerb-mailbox')).length).toBe(before + 1);
  });

  it('refuses a tampered and a retired link, old or not, without asking the routes for a fresh one', async () => {
    const tampered = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(tampered)).status).toBe(404);
    const requests = runtime.signIn!.requests;
    const ref = { vaultUrl: vaultUrl(), name: 'cerb-mailbox' };
    const refusals = events.filter((e) => e.type === 'token.sign_in_refused').length;
    // Minted before the owner's sign-in completed: retired by it, and the expired one reads so too.
    for (const at of [DateTime.utc().minus({ minutes: 5 }), DateTime.utc().minus({ days: 8 })]) {
      const earlier = await fetch((await mintSignInLink(requests, { kind: 'reconnect', ref }, 'statusPage', at)).url);
      expect(earlier.status).toBe(410);
      const page = await earlier.text();
      expect(page).toContain('a newer sign-in for this connection already completed');
      // Nobody was told, and the page does not say anyone was.
      expect(page).toContain('Nothing was sent: the connection was signed in since this link was made.');
      expect(page).not.toContain('has been told');
    }
    expect(events.filter((e) => e.type === 'token.sign_in_refused')).toHaveLength(refusals);
  });
});

describe('Microsoft unavailable while the sign-in is redeemed', () => {
  it.each([
    ['a 503 that is no OAuth answer', 503],
    ['a 429 that is no OAuth answer', 429],
  ])('says %s is Microsoft being unavailable, not an ID token that failed checks', async (_case, status) => {
    const ref = { vaultUrl: vaultUrl(), name: 'cerb-mailbox' };
    const { url } = await mintSignInLink(runtime.signIn!.requests, { kind: 'reconnect', ref }, 'api', DateTime.utc());
    const before = (await versions('cerb-mailbox')).length;
    // Signed in at Entra; the fault meets Vigil's redemption of the code, the next token request.
    const started = await fetch(url, { method: 'POST', redirect: 'manual' });
    const entra = await signInAtLocalEntra(started.headers.get('location')!, HELPDESK);
    if (entra.kind !== 'redirect') throw new Error('Entra stopped');
    const fault = tokenEndpointFault(status, 1, 1);
    await stack.admin('/admin/faults', { ...fault, action: { ...fault.action, body: '<html>Service Unavailable</html>' } });
    const html = await (await fetch(entra.location.toString())).text();
    expect(html).toContain('Microsoft sign-in could not be reached');
    expect(html).not.toContain('ID token');
    expect(events.filter((e) => e.type === 'token.sign_in_refused').at(-1)?.data).toMatchObject({ reason: 'entraUnavailable' });
    expect((await versions('cerb-mailbox')).length).toBe(before);
  });
});

describe('Vigil cannot make its request to Entra while the sign-in is redeemed', () => {
  it('refuses as a fault on its side: the page, the audit row, the routes and the log say so, and the link still works', async () => {
    const ref = { vaultUrl: vaultUrl(), name: 'cerb-mailbox' };
    const { url, linkId } = await mintSignInLink(runtime.signIn!.requests, { kind: 'reconnect', ref }, 'api', DateTime.utc());
    const before = (await versions('cerb-mailbox')).length;
    const started = await fetch(url, { method: 'POST', redirect: 'manual' });
    const entra = await signInAtLocalEntra(started.headers.get('location')!, HELPDESK);
    if (entra.kind !== 'redirect') throw new Error('Entra stopped');
    // Signed in at Entra; then Vigil's login host is on a port fetch blocks (the Fetch standard's bad ports), so the
    // redemption is never sent: the production adapter over real fetch, with only its host and log chosen here.
    const flow = runtime.signIn!.flow;
    const server = flow.server;
    const traces: string[] = [];
    const blocked = 'https://localhost:10080';
    flow.server = createAuthorizationServer({ loginHost: () => blocked, vigilFaultLog: createVigilFaultLog((l) => void traces.push(l)) });
    const answer = await fetch(entra.location.toString()).finally(() => (flow.server = server));

    const html = await answer.text();
    expect(answer.status).toBe(500);
    expect(html).toContain('Refused: Vigil could not make its request to Entra.');
    expect(html).toContain('not yours or Microsoft');
    // Said once, with the code once: the refusal's words, then whose fault it is, then the code.
    expect(html.match(/could not make its request/g)).toHaveLength(1);
    expect(html.match(/TypeError/g)).toHaveLength(1);
    expect(html).not.toContain('Try the link again shortly');
    expect(html).not.toContain('10080');
    const audit = await (runtime.api.audit as unknown as { list(day: string): Promise<Array<Record<string, unknown>>> }).list(
      DateTime.utc().toISODate(),
    );
    expect(audit.filter((row) => row['action'] === 'sign-in.finish' && row['linkId'] === linkId)).toMatchObject([
      { outcome: 'refused', reason: 'vigilFault TypeError' },
    ]);
    expect(events.filter((e) => e.type === 'token.sign_in_refused').at(-1)).toMatchObject({
      fix:
        "Vigil's operators check the log and the login host in VIGIL_CLOUD_ENDPOINTS, then open the link again; if it expired meanwhile: " +
        'Get a fresh sign-in link from the status page or POST /api/connections/cerb-mailbox/sign-in-link, and have helpdesk@contoso.onmicrosoft.com open it.',
      data: { reason: 'vigilFault', code: 'TypeError', linkId },
    });
    await deliver();
    expect(
      (await webhooks()).filter(
        (w) => w.type === 'vigil.token.sign_in_refused' && (w.data.data as { reason?: string }).reason === 'vigilFault',
      ),
    ).toHaveLength(1);
    // The tenant's OpenID configuration is the first request to the blocked host: the one not made.
    expect(traces).toEqual([expect.stringMatching(/^OpenID configuration request Vigil could not make \(vigilFault\): TypeError\n\s+at /)]);
    expect(traces.join()).not.toContain('10080');
    expect((await versions('cerb-mailbox')).length).toBe(before);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('expired sign-in rows', () => {
  it('are swept by the refresh planner timer, not by the anonymous sign-in request', async () => {
    const store = runtime.signIn!.requests.store;
    const ref = { vaultUrl: vaultUrl(), name: 'cerb-mailbox' };
    const old = await mintSignInLink(runtime.signIn!.requests, { kind: 'reconnect', ref }, 'alert', DateTime.utc().minus({ days: 40 }));
    const oldHash = hashSecret(old.url.split('/').at(-1)!);
    const abandoned = { linkHash: oldHash, codeVerifier: 'v'.repeat(43), nonce: 'n', createdAt: '2026-01-01T00:00:00.000Z' };
    await store.saveFlow('abandoned-flow', { ...abandoned, expiresAt: '2026-01-01T00:15:00.000Z' });
    const rows = async () => {
      const keys: string[] = [];
      for await (const e of runtime.table('signIns').listEntities()) keys.push(`${e.partitionKey}/${e.rowKey}`);
      return keys;
    };

    // Someone opens a fresh link and starts a sign-in: no housekeeping on that anonymous request.
    const { url } = await mintSignInLink(runtime.signIn!.requests, { kind: 'reconnect', ref }, 'api', DateTime.utc());
    expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    expect(await rows()).toEqual(expect.arrayContaining(['flow/abandoned-flow', `link/${oldHash}`]));

    const lines: string[] = [];
    if (refreshPlannerTimer.kind !== 'timer') throw new Error('refreshPlannerTimer is a timer');
    await refreshPlannerTimer.handler(
      timerArgument(null),
      createInvocationContext('refreshPlannerTimer', (_n, _level, message) => void lines.push(message)),
      runtime,
    );
    const left = await rows();
    expect(left).not.toContain('flow/abandoned-flow');
    expect(left).not.toContain(`link/${oldHash}`);
    expect(left).toContain(`link/${hashSecret(url.split('/').at(-1)!)}`);
    expect(lines.join('\n')).toMatch(/sign-ins: \d+ expired row\(s\) swept/);
  });
});

describe('connect from nothing', () => {
  const post = async (route: string, body?: unknown) => {
    const response = await fetch(`${api}/${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await apiToken()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    pages.push(text);
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  const request = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    tenant: TENANT,
    clientId: stack.cloud.seed!.appIds['Cerb Helpdesk'],
    clientSecretName: 'cerb-client-secret',
    scopes: `offline_access ${IMAP}`,
    owner: OPS.username,
    downstream: 'Cerb',
    ...extra,
  });

  it('answers with a link, stores nothing until the owner signs in, then a working connection', async () => {
    const { status, body } = await post('connections', request('ops-mailbox'));
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body['redirectUriCheck']).toEqual({ kind: 'registered' });
    expect(await versions('ops-mailbox').catch(() => [])).toEqual([]);
    const { status: done, html } = await followLink(String(body['signInUrl']), OPS);
    expect(done, html).toBe(200);
    expect(html).toContain('ops-mailbox works again');
    const [version] = await versions('ops-mailbox');
    expect(version?.tags).toMatchObject({
      'vigil-owner': OPS.username,
      'vigil-scopes': `offline_access ${IMAP}`,
      'vigil-downstream': 'Cerb',
    });
    expect((await runtime.tokenKeeper.states.get({ vaultUrl: vaultUrl(), name: 'ops-mailbox' }))?.status).toBe('healthy');
    expect((await post('connections', request('ops-mailbox'))).status).toBe(409);
  });

  it('ends on a page and stores nothing when the owner declines consent', async () => {
    const { body } = await post(
      'connections',
      request('declined-mailbox', { scopes: `offline_access ${IMAP} https://outlook.office.com/SMTP.Send` }),
    );
    const { status, html } = await followLink(String(body['signInUrl']), { ...OPS, consent: 'cancel' });
    expect(status).toBe(400);
    expect(html).toContain('declined the app');
    expect(html).toContain('AADSTS65004');
    expect(await versions('declined-mailbox').catch(() => [])).toEqual([]);
  });

  it('refuses an app without Vigil’s redirect URI before any link exists, and its alerts say what to add', async () => {
    const { status, body } = await post(
      'connections',
      request('legacy-two', { clientId: LEGACY_APP_ID, clientSecretName: 'legacy-client-secret' }),
    );
    expect(status).toBe(422);
    expect(body['detail']).toContain(`App ${LEGACY_APP_ID} does not list Vigil's redirect URI ${api.replace('/api', '')}/api/signed-in`);
    expect((await post('connections/legacy-mailbox/sign-in-link')).status).toBe(422);
    await refresh('legacy-mailbox');
    await deliver();
    const alert = (await webhooks()).find(
      (w) => w.type === 'vigil.token.refresh_failed' && w.data.subject.displayName === 'legacy-mailbox',
    );
    expect(alert?.data.fix).toContain(`${HELPDESK.username} signs in again to reconnect it`);
    // The card says what to add, and carries no link.
    const card = ((await stack.admin('/admin/teams')) as Array<{ body: string }>).find((t) => t.body.includes('legacy-mailbox'));
    expect(card?.body).toContain(`App ${LEGACY_APP_ID} does not list Vigil's redirect URI`);
    expect((await reconnectLinksInTeams(stack)).filter((l) => l.connection === 'legacy-mailbox')).toEqual([]);
  });

  it('refuses a certificate without its private key before any link exists', async () => {
    const { certificatePem } = await selfSignedCertificate('Cerb Helpdesk');
    await stack.secretClient(VAULT).setSecret('cerb-public-certificate', certificatePem);
    const rowsBefore = await signInRows();
    const { status, body } = await post(
      'connections',
      request('cert-mailbox', { clientSecretName: undefined, clientCertificateName: 'cerb-public-certificate' }),
    );
    expect(status).toBe(422);
    expect(body['errors']).toEqual([
      {
        field: 'clientCertificateName',
        message:
          'clientCertificateName: the certificate in cerb-public-certificate is not a PEM holding both a certificate and its private key (a Key Vault certificate must use content type application/x-pem-file)',
      },
    ]);
    expect(JSON.stringify(body)).not.toContain('BEGIN CERTIFICATE');
    expect(await signInRows()).toBe(rowsBefore);
  });

  it.each([
    [
      'clientCertificateName',
      'an expired certificate',
      async () => {
        const expired = await selfSignedCertificate('Cerb Helpdesk', -0.5);
        await stack.secretClient(VAULT).setSecret('cerb-expired-certificate', expired.pem, { contentType: 'application/x-pem-file' });
        return { clientSecretName: undefined, clientCertificateName: 'cerb-expired-certificate' };
      },
      /^clientCertificateName: the certificate in cerb-expired-certificate expired at \S+Z, so Entra would refuse the sign-in \(AADSTS700027\)/,
    ],
    [
      'clientSecretName',
      'a client secret past its Key Vault expiry',
      async () => {
        await stack.secretClient(VAULT).setSecret('cerb-expired-secret', CERB_SECRET, { expiresOn: new Date(Date.now() - 3_600_000) });
        return { clientSecretName: 'cerb-expired-secret' };
      },
      /^clientSecretName: the client secret in cerb-expired-secret expired at \S+Z, so Entra would refuse the sign-in \(AADSTS7000222\)/,
    ],
  ])('refuses %s holding %s before any link exists', async (field, _case, store, message) => {
    const fields = await store();
    const rowsBefore = await signInRows();
    const { status, body } = await post('connections', request(`expired-${field}`, fields));
    expect(status).toBe(422);
    expect(body['errors']).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(await signInRows()).toBe(rowsBefore);
  });

  it('checks the request like the token keeper reads tags', async () => {
    const { status, body } = await post('connections', request('no-offline', { scopes: IMAP }));
    expect(status).toBe(422);
    expect(body['detail']).toContain('must include offline_access');
    expect((await post('connections', { ...request('x'), owner: 'not an email' })).status).toBe(400);
  });
});

describe('secrets', () => {
  it('never shows a token, client secret, code or link secret in pages, events, logs or the audit trail', async () => {
    const values: string[] = [CERB_SECRET, LEGACY_SECRET, VIGIL_SECRET, WEBHOOK_KEY, HELPDESK.password, OPS.password];
    for (const name of ['cerb-mailbox', 'ops-mailbox'])
      for (const v of await versions(name)) values.push((await stack.secretClient(VAULT).getSecret(name, { version: v.version! })).value!);
    const audit = JSON.stringify(
      await (runtime.api.audit as unknown as { list(day: string): Promise<unknown[]> }).list(DateTime.utc().toISODate()),
    );
    const linkSecrets = pages.flatMap((p) => [...p.matchAll(/sign-in\/([A-Za-z0-9_-]{43})/g)].map((m) => m[1]!));
    const captured = [pages.join('\n'), JSON.stringify(events), logs.join('\n'), audit];
    for (const value of values) for (const text of captured) expect(text).not.toContain(value);
    for (const secret of linkSecrets) expect(audit + logs.join('\n')).not.toContain(secret);
    expect(audit).toContain('sign-in.finish');
    expect(audit).toContain('sign-in.start');
  });
});
