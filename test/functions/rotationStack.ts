import { HttpRequest, InvocationContext } from '../../functions/azureFunctions.js';
import { deliverNotificationQueue } from '../../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../../functions/flushDigestQueue.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { rotationQueue } from '../../functions/rotationQueue.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { pollQueuesOnce } from '../../local/devhost/runQueueFunctions.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { notificationScenario, OPS, routesFor, TEAMS_SIG } from '../shared/notifications/notificationStack.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { OTHER_TENANT, TENANT, VAULT } from '../support/testScenario.js';
import { drainQueues } from '../support/drainQueues.js';

export const API = 'api://vigil';
export const OPS_CLI_SECRET = 'ops-cli-test-secret-0123456789';
export const VIEWER_SECRET = 'ops-viewer-test-secret-0123456789';
export const FABRIKAM_SECRET = 'fabrikam-ops-secret-0123456789';

/**
 * The notification test scenario plus Vigil's API (`api://vigil` with its app roles), an operator app
 * with both roles, a viewer with Vigil.Read only, an app in another tenant that holds Vigil.Rotate there,
 * and Creatio's client secret in the vault.
 */
export function rotationScenario(): Scenario {
  const scenario = notificationScenario();
  const [home, other] = scenario.tenants;
  home!.applications = [
    ...(home!.applications ?? []).map((a) =>
      a.displayName === 'Vigil' ? { ...a, identifierUris: [API], appRoles: ['Vigil.Read', 'Vigil.Rotate'] } : a,
    ),
    {
      displayName: 'Ops CLI',
      passwordCredentials: [{ displayName: 'cli', secretText: OPS_CLI_SECRET, end: { inDays: 300 } }],
      roles: { [API]: ['Vigil.Read', 'Vigil.Rotate'] },
    },
    {
      displayName: 'Ops viewer',
      passwordCredentials: [{ displayName: 'viewer', secretText: VIEWER_SECRET, end: { inDays: 300 } }],
      roles: { [API]: ['Vigil.Read'] },
    },
  ];
  other!.applications = [
    ...(other!.applications ?? []),
    {
      displayName: 'Fabrikam ops',
      passwordCredentials: [{ displayName: 'ops', secretText: FABRIKAM_SECRET, end: { inDays: 300 } }],
      roles: { [API]: ['Vigil.Rotate'] },
    },
  ];
  other!.servicePrincipals = [...(other!.servicePrincipals ?? []), { application: 'Vigil' }];
  const vault = scenario.vaults![0]!;
  vault.secrets = [
    ...(vault.secrets ?? []),
    {
      name: 'creatio-client-secret',
      value: { clientSecret: { application: 'Creatio CRM', credential: 'current' } },
      tags: { 'vigil-owner': OPS },
    },
  ];
  return scenario;
}

export interface RotationStack {
  stack: TestStack;
  runtime: Runtime;
  token(app: 'Ops CLI' | 'Ops viewer' | 'Vigil reader' | 'Fabrikam ops', scope?: string): Promise<string>;
  call(
    definition: FunctionDefinition,
    init: {
      method: string;
      path: string;
      token?: string;
      headers?: Record<string, string>;
      body?: unknown;
      params?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }>;
  /** Runs the rotation and notification queues until a pass finds nothing, as the dev host does. */
  drain(runtime?: Runtime): Promise<void>;
  /** Runs the scan queue once, as the dev host does: how many scans ran. */
  runScans(): Promise<number>;
  /** A runtime with the notification routes and some more settings. */
  runtimeWith(overrides: Record<string, string>): Runtime;
  appId(name: string): string;
}

const secrets = {
  'Ops CLI': OPS_CLI_SECRET,
  'Ops viewer': VIEWER_SECRET,
  'Vigil reader': 'vigil-reader-secret-0123456789',
  'Fabrikam ops': FABRIKAM_SECRET,
};

export async function startRotationStack(
  scenario: Scenario = rotationScenario(),
  settings: Record<string, string> = {},
): Promise<RotationStack> {
  const stack = await startTestStack({ scenario, settings });
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=${TEAMS_SIG}`);
  const runtimeWith = (overrides: Record<string, string>) =>
    stack.runtimeWith({ VIGIL_ROUTES: JSON.stringify(routesFor(sinks)), VIGIL_MAIL_SENDER: OPS, ...overrides });
  const runtime = runtimeWith({});
  const appId = (name: string) => stack.cloud.seed!.appIds[name]!;
  return {
    stack,
    runtime,
    runtimeWith,
    appId,
    async token(app, scope = `${API}/.default`) {
      const tenant = app === 'Fabrikam ops' ? OTHER_TENANT : TENANT;
      return (await stack.credential(app, secrets[app], tenant).getToken(scope)).token;
    },
    async call(definition, init) {
      if (definition.kind !== 'http') throw new Error(`${definition.name} is not an HTTP function`);
      const headers: Record<string, string> = { ...init.headers, ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) };
      const body =
        init.body === undefined ? {} : { body: { string: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } };
      if (init.body !== undefined) headers['content-type'] ??= 'application/json';
      const request = new HttpRequest({
        method: init.method,
        url: `http://localhost/api/${init.path}`,
        headers,
        params: init.params ?? {},
        ...body,
      });
      const response = await definition.handler(request, new InvocationContext({ functionName: definition.name }), runtime);
      const text = typeof response.body === 'string' ? response.body : undefined;
      return {
        status: response.status ?? 200,
        headers: (response.headers ?? {}) as Record<string, string>,
        body: (response.jsonBody ?? (text ? JSON.parse(text) : {})) as Record<string, unknown>,
      };
    },
    runScans: () =>
      pollQueuesOnce(
        [scanTenantQueue],
        runtime,
        (name) => runtime.queue(name),
        () => undefined,
      ),
    async drain(on = runtime) {
      await drainQueues([rotationQueue, flushDigestQueue, deliverNotificationQueue], on);
    },
  };
}
