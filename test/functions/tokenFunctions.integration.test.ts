import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '../../functions/azureFunctions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { listConnections } from '../../functions/listConnections.js';
import { refreshConnectionNow } from '../../functions/refreshConnectionNow.js';
import { refreshConnectionQueue } from '../../functions/refreshConnectionQueue.js';
import { refreshPlannerTimer } from '../../functions/refreshPlannerTimer.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { toQueueMessage } from '../../shared/adapters/storage/createQueueClient.js';
import type { VigilEvent } from '../../shared/events/vigilEvent.js';
import { queueNames } from '../../shared/adapters/storage/queueNames.js';
import type { ConnectionsPage, ConnectionView } from '../../shared/tokens/toConnectionView.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT, VAULT } from '../support/testScenario.js';
import {
  API,
  OPERATOR_SECRET,
  OPS_USER,
  seededSecretValues,
  signInAgain,
  tokenScenario,
  VIEWER_SECRET,
} from '../shared/tokens/tokenScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';
import { drainQueues } from '../support/drainQueues.js';

let stack: TestStack;
let runtime: Runtime;
const logs: string[] = [];
const events: VigilEvent[] = [];
const bodies: string[] = [];
const newTokens: string[] = [];
const sink = (_name: string, level: string, message: string) => void logs.push(`${level}: ${message}`);
const context = (name: string) => createInvocationContext(name, sink);
const timer = timerArgument(null);

beforeAll(async () => {
  stack = await startTestStack({ scenario: tokenScenario() });
  const keeper = stack.runtime.tokenKeeper;
  // Production wiring; events are also captured here to be checked.
  runtime = {
    ...stack.runtime,
    tokenKeeper: { ...keeper, events: { publish: async (e) => (events.push(...e), keeper.events.publish(e)) } },
  };
  await stack.admin(`/admin/tenants/${TENANT}/users/${OPS_USER}/revoke-sessions`, {});
});
afterAll(async () => stack.stop());

const runPlanner = () =>
  (refreshPlannerTimer as Extract<FunctionDefinition, { kind: 'timer' }>).handler(timer, context('refreshPlannerTimer'), runtime);
const drainRefreshQueue = (): Promise<number> => drainQueues([refreshConnectionQueue], runtime, sink);
const tokens: Record<string, string> = {};
/** An access token for Vigil's API from the local Entra, as an operator (both roles) or a viewer (Vigil.Read). */
async function tokenOf(who: 'operator' | 'viewer'): Promise<string> {
  const [app, secret] = who === 'operator' ? ['Token operator', OPERATOR_SECRET] : ['Token viewer', VIEWER_SECRET];
  return (tokens[who] ??= (await stack.credential(app, secret).getToken(`${API}/.default`)).token);
}
async function call(
  definition: FunctionDefinition,
  method: string,
  path: string,
  params: Record<string, string> = {},
  who: 'operator' | 'viewer' = 'operator',
) {
  if (definition.kind !== 'http') throw new Error(`${definition.name} is not an HTTP function`);
  const headers = { authorization: `Bearer ${await tokenOf(who)}` };
  const response = await definition.handler(
    new HttpRequest({ method, url: `http://localhost/api/${path}`, params, headers }),
    context(definition.name),
    runtime,
  );
  bodies.push(JSON.stringify(response.jsonBody ?? response.body ?? null));
  return response;
}
/** Every connection, two a page, following `nextLink` as a client does. */
async function listed(): Promise<ConnectionView[]> {
  const all: ConnectionView[] = [];
  for (let path: string | undefined = 'connections?$top=2'; path;) {
    const page = (await call(listConnections, 'GET', path)).jsonBody as ConnectionsPage;
    expect(page.value.length).toBeLessThanOrEqual(2);
    all.push(...page.value);
    path = page.nextLink?.replace('http://localhost/api/', '');
  }
  return all;
}

describe('token keeper functions against the local cloud and Azurite', () => {
  it('plans from tags, reports the misconfigured connection by name, and refreshes the rest through the queue', async () => {
    await runPlanner();
    expect(logs).toContain('information: refresh planner: 5 connection(s) queued, 0 not due, 1 misconfigured');
    expect(logs.some((l) => l.startsWith('warning:') && l.includes('broken-mailbox is misconfigured: vigil-tenant: is missing'))).toBe(
      true,
    );
    expect(events.filter((e) => e.type === 'token.misconfigured').map((e) => e.subject.displayName)).toEqual(['broken-mailbox']);

    expect(await drainRefreshQueue()).toBe(5);
    const byName = Object.fromEntries((await listed()).map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual([
      'broken-mailbox',
      'cerb-mailbox',
      'flaky-mailbox',
      'fragile-mailbox',
      'ops-mailbox',
      'twin-mailbox',
    ]);
    expect(byName['cerb-mailbox']).toMatchObject({
      status: 'healthy',
      failureClass: null,
      grantedScopes: 'https://outlook.office.com/IMAP.AccessAsUser.All',
      nextAction: expect.stringMatching(/^probe after .* UTC; rotated token stored from /),
    });
    expect(byName['ops-mailbox']).toMatchObject({
      status: 'failing',
      failureClass: 'revoked',
      lastErrorCode: 'AADSTS50173',
      consecutiveFailures: 1,
      whoMustAct: expect.stringContaining(OPS_USER),
    });
    expect(byName['broken-mailbox']).toMatchObject({
      status: 'misconfigured',
      problems: expect.arrayContaining(['vigil-client-id: is missing']),
    });
    expect(events.filter((e) => e.type === 'token.refresh_failed').map((e) => e.subject.displayName)).toEqual(['ops-mailbox']);
    expect(events.filter((e) => e.type === 'token.refreshed')).toHaveLength(4);
  });

  it('queues nothing on a rerun, and drops a duplicate message planned before the last attempt', async () => {
    await runPlanner();
    expect(logs).toContain('information: refresh planner: 0 connection(s) queued, 5 not due, 1 misconfigured');
    expect(events.filter((e) => e.type === 'token.misconfigured')).toHaveLength(1);
    const queue = runtime.queue(queueNames.refresh);
    await queue.sendMessage(
      toQueueMessage({
        vaultUrl: runtime.tokenKeeper.stores[0]!.vaultUrl,
        name: 'cerb-mailbox',
        plannedAt: DateTime.utc().minus({ minutes: 5 }).toISO(),
        reason: 'due',
      }),
    );
    await queue.sendMessage(toQueueMessage({ nonsense: true }));
    expect(await drainRefreshQueue()).toBe(2);
    expect(logs.some((l) => l.includes('cerb-mailbox: already attempted since this message was planned'))).toBe(true);
    expect(logs.some((l) => l.startsWith('error: dropping a malformed refresh message'))).toBe(true);
  });

  it('probes a revoked connection at the next planner run once a new token is stored, and reports the recovery once', async () => {
    // A minute on, so the new version's creation time differs from the revoked one's.
    const refreshToken = await signInAgain(stack);
    newTokens.push(refreshToken);
    const tags = (await stack.secretClient(VAULT).getSecret('ops-mailbox')).properties.tags!;
    await stack.secretClient(VAULT).setSecret('ops-mailbox', refreshToken, { tags });
    await runPlanner();
    expect(logs).toContain('information: refresh planner: 1 connection(s) queued, 4 not due, 1 misconfigured');
    expect(await drainRefreshQueue()).toBe(1);
    expect((await listed()).find((c) => c.name === 'ops-mailbox')).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
    expect(events.filter((e) => e.type === 'token.recovered').map((e) => e.subject.displayName)).toEqual(['ops-mailbox']);
  });

  it('refreshes one connection now over HTTP, and answers 400, 404 and 409 with problem documents', async () => {
    const ok = await call(refreshConnectionNow, 'POST', 'connections/cerb-mailbox/refresh', { name: 'cerb-mailbox' });
    expect(ok.status).toBe(200);
    expect(ok.jsonBody).toMatchObject({ outcome: 'refreshed', connection: { name: 'cerb-mailbox', status: 'healthy' } });
    expect((await call(refreshConnectionNow, 'POST', 'connections/bad_name/refresh', { name: 'bad_name' })).status).toBe(400);
    expect((await call(refreshConnectionNow, 'POST', 'connections/cerb-mailbox/refresh', { name: 'cerb-mailbox' }, 'viewer')).status).toBe(
      403,
    );
    expect((await call(listConnections, 'GET', 'connections', {}, 'viewer')).status).toBe(200);
    const missing = await call(refreshConnectionNow, 'POST', 'connections/no-such-secret/refresh', { name: 'no-such-secret' });
    expect(missing).toMatchObject({ status: 404, headers: { 'content-type': 'application/problem+json' } });
    expect((await listed()).map((c) => c.name)).not.toContain('no-such-secret');

    const keeper = runtime.tokenKeeper;
    const held = await keeper.leases.acquire(
      { vaultUrl: keeper.stores[0]!.vaultUrl, name: 'twin-mailbox' },
      'test',
      DateTime.utc(),
      keeper.policy.leaseDuration,
    );
    expect((await call(refreshConnectionNow, 'POST', 'connections/twin-mailbox/refresh', { name: 'twin-mailbox' })).status).toBe(409);
    if (held.kind === 'acquired') await keeper.leases.release(held.lease, held.state);
  });

  it('never logs, publishes, audits or answers a token or secret value', async () => {
    const output = JSON.stringify({ logs, events, bodies, audit: await runtime.api.audit.list(DateTime.utc().toISODate()) });
    const stored = await Promise.all(
      ['cerb-mailbox', 'ops-mailbox', 'flaky-mailbox'].map(async (n) => (await stack.secretClient('vigil-test').getSecret(n)).value!),
    );
    for (const secret of [...seededSecretValues(stack.cloud.seed!), ...stored, ...newTokens, ...Object.values(tokens)])
      expect(output).not.toContain(secret);
  });

  it('lists connections a page at a time by vault and name, and refuses a page token of its own making', async () => {
    const all = await listed();
    expect(all.length).toBeGreaterThan(2);
    const order = all.map((c) => `${c.vaultUrl.toLowerCase()}\n${c.name.toLowerCase()}`);
    expect(order).toEqual([...order].sort());
    expect(new Set(order).size).toBe(order.length);
    const first = (await call(listConnections, 'GET', 'connections?$top=1')).jsonBody as ConnectionsPage;
    expect(first.nextLink).toMatch(/^http:\/\/localhost\/api\/connections\?\$top=1&\$skipToken=/);
    const bad = await call(listConnections, 'GET', 'connections?$skipToken=made-up');
    expect(bad).toMatchObject({ status: 400, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(bad.body as string)).toMatchObject({ type: 'urn:vigil:problem:invalidQuery', errors: [{ field: '$skipToken' }] });
  });

  it('drops a connection whose secret was deleted from its vault, once the vault was listed in full', async () => {
    expect((await listed()).map((c) => c.name)).toContain('twin-mailbox');
    for (const name of ['twin-mailbox', 'broken-mailbox']) await (await stack.secretClient(VAULT).beginDeleteSecret(name)).pollUntilDone();

    await runPlanner();

    expect((await listed()).map((c) => c.name)).not.toContain('twin-mailbox');
    // People were told the misconfigured one needs fixing: its finding closes. The healthy one was never news.
    expect(
      events.filter((e) => e.type === 'token.removed').map((e) => [e.subject.displayName, e.type === 'token.removed' && e.data.status]),
    ).toEqual([['broken-mailbox', 'misconfigured']]);
    expect(logs).toContainEqual(
      expect.stringMatching(/^information: connection \S+\/twin-mailbox is no longer in its vault; its state is dropped$/),
    );
    expect((await listed()).map((c) => c.name)).toContain('cerb-mailbox');
  });
});
