import type { Scenario } from '../../../../local/cloud/scenario/scenarioSchema.js';
import type { TestCloud } from '../../../support/startTestCloud.js';
import { GRAPH, TENANT, testScenario } from '../../../support/testScenario.js';

export const READER_SECRET = 'vigil-reader-secret-0123456789';

/** The test scenario plus `count` generated applications in the main tenant ("Generated app 001", …). */
export function scenarioWithApps(count: number): Scenario {
  const scenario = testScenario();
  const tenant = scenario.tenants.find((t) => t.id === TENANT)!;
  const generated = Array.from({ length: count }, (_, i) => ({
    displayName: `Generated app ${String(i + 1).padStart(3, '0')}`,
    passwordCredentials: [{ displayName: 'generated', end: { inDays: 30 + i } }],
    servicePrincipal: false,
  }));
  tenant.applications = [...(tenant.applications ?? []), ...generated];
  return scenario;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

/**
 * A plain HTTPS call to the Graph emulator with a real token from the local Entra: for answers the Graph
 * client would hide (its RetryHandler retries 429s) or turn into exceptions.
 */
export async function graphFetch(
  t: TestCloud,
  path: string,
  init: RequestInit & { app?: string; secret?: string; token?: string | null } = {},
): Promise<RawResponse> {
  const { app, secret, token, ...request } = init;
  const bearer = token === undefined ? (await t.credential(app, secret).getToken(`${GRAPH}/.default`)).token : token;
  const headers = new Headers(request.headers);
  if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`);
  if (request.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${t.cloud.endpoints.clouds.global!.graph}${path}`, { ...request, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** The Graph error body's `error` object. */
export function errorOf(response: RawResponse): { code: string; message: string; innerError: Record<string, string> } {
  return (response.body as { error: { code: string; message: string; innerError: Record<string, string> } }).error;
}

export const appIdOf = (t: TestCloud, name: string): string => t.cloud.seed!.appIds[name]!;

export function applicationOf(t: TestCloud, name: string) {
  const tenant = t.cloud.context.store.tenant(TENANT)!;
  return tenant.applications.find((a) => a.displayName === name)!;
}
