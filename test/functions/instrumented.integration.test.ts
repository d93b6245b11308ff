import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { collectTelemetry, type CollectedTelemetry } from '../../local/devhost/collectTelemetry.js';
import { createInvocationContext } from '../../local/devhost/invocationContext.js';
import { loadSettings } from '../../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../../shared/wiring/createRuntime.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT } from '../support/testScenario.js';
import { tokenScenario } from '../shared/tokens/tokenScenario.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';
import { HttpRequest } from '../../functions/azureFunctions.js';

// Vigil's telemetry as the Functions host would run it: the instrumented definitions, a runtime wired as
// in production, and the OpenTelemetry pipeline collected in memory instead of sent to Azure Monitor.

let stack: TestStack;
let runtime: Runtime;
let collected: CollectedTelemetry;
const logs: string[] = [];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const hostContext = (name: string, triggerMetadata: Record<string, unknown> = {}) => {
  const context = createInvocationContext(name, (_n, level, message) => void logs.push(`${level}: ${message}`), triggerMetadata);
  context.traceContext = { traceParent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, traceState: '', attributes: {} };
  return context;
};
const definition = <K extends FunctionDefinition['kind']>(name: string) =>
  functionDefinitions.find((d) => d.name === name) as Extract<FunctionDefinition, { kind: K }>;
const timer = timerArgument(null);
const series = (key: Parameters<CollectedTelemetry['metric']>[0], dimensions: Record<string, string>) =>
  collected.metric(key).filter((s) => Object.entries(dimensions).every(([k, v]) => s.dimensions[k] === v));
const total = (key: Parameters<CollectedTelemetry['metric']>[0], dimensions: Record<string, string>) =>
  series(key, dimensions).reduce((sum, s) => sum + s.value, 0);

beforeAll(async () => {
  stack = await startTestStack({ scenario: tokenScenario() });
  collected = collectTelemetry();
  runtime = createRuntime(loadSettings(stack.settingsValues), { telemetryExporters: collected.exporters });
});
afterAll(async () => {
  await runtime.telemetry.shutdown();
  await stack.stop();
});
beforeEach(async () => stack.admin('/admin/faults', undefined, 'DELETE'));

describe('instrumented functions', () => {
  it('a scan records a completed run, its open findings by severity, and its Graph calls as dependencies of the invocation', async () => {
    await definition<'storageQueue'>('scanTenantQueue').handler({ tenantId: TENANT }, hostContext('scanTenantQueue'), runtime);

    expect(total('runs', { producer: 'scan', outcome: 'completed' })).toBe(1);
    expect(total('scans', { outcome: 'checked', mode: 'full' })).toBe(1);
    const open = await runtime.scanner.scanOf(runtime.scanner.tenants[0]!).deps.findings.list(TENANT);
    expect(open.length).toBeGreaterThan(0);
    for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const)
      expect(total('findings', { severity, tenantId: TENANT }), severity).toBe(open.filter((f) => f.severity === severity).length);
    const graphOrigin = new URL(stack.cloud.endpoints.clouds.global!.graph).origin;
    const graph = collected.dependencies().filter((d) => d.url.startsWith(graphOrigin));
    expect(graph.length).toBeGreaterThan(0);
    expect(graph.every((d) => d.traceId === TRACE_ID)).toBe(true);
    // The directory reads succeed; the usage report and the policies answer 403 here (not granted), recorded as they are.
    expect(graph.filter((d) => d.status !== 200 && d.status !== 403)).toEqual([]);
    expect(collected.logs()).toContainEqual(
      expect.objectContaining({ message: 'tenant scanned', properties: expect.objectContaining({ tenantId: TENANT, outcome: 'checked' }) }),
    );
    // Each event the scan published is logged with its finding's id, as the snooze API and status page show it.
    expect(collected.logs()).toContainEqual(
      expect.objectContaining({
        properties: expect.objectContaining({ findingId: expect.stringMatching(/^f-[0-9a-f]{20}$/), tenantId: TENANT }),
      }),
    );
  });

  it("a vault that refuses Vigil shows as a 403 dependency, an unchecked planner run and Vigil's identity denied", async () => {
    await stack.admin('/admin/faults', { service: 'keyvault', path: '/secrets', action: { kind: 'status', status: 403 }, times: 50 });
    const deniedBefore = total('identityDenied', { service: 'keyVault' });

    await definition<'timer'>('refreshPlannerTimer').handler(timer, hostContext('refreshPlannerTimer'), runtime);

    const vault = collected.dependencies().filter((d) => d.status === 403 && d.traceId === TRACE_ID);
    expect(vault.length).toBeGreaterThan(0);
    expect(total('identityDenied', { service: 'keyVault' })).toBeGreaterThan(deniedBefore);
    expect(total('runs', { producer: 'refreshPlanner', outcome: 'unchecked' })).toBe(1);
    expect(total('runs', { producer: 'refreshPlanner', outcome: 'completed' })).toBe(0);
  });

  it("a home-tenant scan refused by Graph counts as Vigil's identity denied; the run is not completed", async () => {
    await stack.admin('/admin/faults', { service: 'graph', path: '/applications', action: { kind: 'status', status: 403 }, times: 50 });

    await definition<'storageQueue'>('scanTenantQueue').handler({ tenantId: TENANT }, hostContext('scanTenantQueue'), runtime);

    expect(total('scans', { outcome: 'unchecked', reason: 'forbidden' })).toBe(1);
    expect(total('runs', { producer: 'scan', outcome: 'unchecked' })).toBe(1);
    expect(total('identityDenied', { service: 'graph' })).toBe(1);
  });

  it('records how long a queue message waited, by queue', async () => {
    const insertionTime = new Date(Date.now() - 90_000).toISOString();
    await definition<'storageQueue'>('scanTenantQueue').handler(
      { tenantId: 'not-configured' },
      hostContext('scanTenantQueue', { insertionTime }),
      runtime,
    );

    const [age] = series('queueAge', { queue: 'vigil-scan-tenants' });
    expect(age?.value).toBeGreaterThanOrEqual(1);
  });

  it('answers a handler that throws with a 500 problem the on-call can quote, never the exception text, and counts it', async () => {
    // The scan-state table fails in a way no use case translates; its message quotes what it was sent.
    const failure = Object.assign(new Error('AccountKey=c2VjcmV0LXN0b3JhZ2Uta2V5 rejected'), {
      name: 'RestError',
      statusCode: 500,
      code: 'InternalError',
    });
    const broken: Runtime = {
      ...runtime,
      scanner: { ...runtime.scanner, states: { ...runtime.scanner.states, listAll: () => Promise.reject(failure) } },
    };
    const context = hostContext('listFindings');
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/findings',
      headers: { authorization: `Bearer ${await stack.apiToken()}` },
    });
    const before = total('unexpectedFailures', { route: 'findings' });

    const response = await definition<'http'>('listFindings').handler(request, context, broken);

    expect(response.status).toBe(500);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
    const body = JSON.parse(String(response.body)) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'urn:vigil:problem:internal',
      title: 'Internal error',
      status: 500,
      invocationId: context.invocationId,
      operationId: TRACE_ID,
    });
    expect(body['detail']).toContain(context.invocationId);
    expect(JSON.stringify(body)).not.toMatch(/AccountKey|c2VjcmV0|rejected/);
    // Logged once for the on-call, by status and code only, with the invocation id; and counted for the alert.
    const lines = logs.filter((l) => l.includes(context.invocationId));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: GET \/api\/findings failed unexpectedly: HTTP 500 InternalError/);
    expect(logs.join('\n')).not.toMatch(/AccountKey|c2VjcmV0/);
    expect(JSON.stringify(collected.logs())).not.toContain('failed unexpectedly');
    await runtime.telemetry.flush();
    expect(total('unexpectedFailures', { route: 'findings' })).toBe(before + 1);
    // The trace says it failed, by the route's template and the error's status and codes, never its text.
    expect(collected.failures()).toContainEqual({
      name: 'GET /api/findings',
      message: 'HTTP 500 InternalError',
      exceptions: ['HTTP 500 InternalError'],
      traceId: TRACE_ID,
    });
    expect(JSON.stringify(collected.failures())).not.toMatch(/AccountKey|c2VjcmV0|rejected/);
  });

  it('answers a browser whose page failed with a page saying the same, not a JSON document', async () => {
    // The page reports its own tables it cannot read; the form key it signs its forms with has no such path.
    const failure = Object.assign(new Error('AccountKey=c2VjcmV0LXN0b3JhZ2Uta2V5 rejected'), { name: 'RestError', statusCode: 503 });
    const broken: Runtime = { ...runtime, api: { ...runtime.api, formKey: () => Promise.reject(failure) } };
    const context = hostContext('getDashboard');
    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/dashboard',
      headers: { authorization: `Bearer ${await stack.apiToken()}`, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });

    const response = await definition<'http'>('getDashboard').handler(request, context, broken);

    expect(response.status).toBe(500);
    expect(response.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    expect(String(response.body)).toContain('<h1>Internal error</h1>');
    expect(String(response.body)).toContain(`Quote invocation ${context.invocationId} (operation ${TRACE_ID})`);
    expect(String(response.body)).not.toMatch(/AccountKey|c2VjcmV0/);
  });

  it('never lets a query string, secret or free text into a dependency or a dimension', () => {
    const dimensions = (['runs', 'scans', 'findings', 'refreshes', 'identityDenied', 'queueAge'] as const).map((k) => collected.metric(k));
    const everything = JSON.stringify([collected.dependencies(), dimensions, collected.logs()]);
    expect(everything).not.toMatch(/[?&](sig|code|client_secret|refresh_token)=/);
    expect(collected.dependencies().every((d) => !d.url.includes('?'))).toBe(true);
  });
});
