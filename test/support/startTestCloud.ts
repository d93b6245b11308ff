import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud/startLocalCloud.js';
import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { certificatesDir } from '../../local/paths.js';
import { GRAPH, OPERATOR_SECRET, TENANT, VIGIL_API, VIGIL_SECRET, testScenario } from './testScenario.js';

export interface TestCloud {
  cloud: LocalCloud;
  /** A credential for an app of the scenario, pointed at the local Entra the way Vigil's settings do it. */
  credential(appDisplayName?: string, secret?: string, tenantId?: string): ClientSecretCredential;
  secretClient(vault: string, credential?: ClientSecretCredential): SecretClient;
  graphClient(credential?: ClientSecretCredential): Client;
  /** A bearer token for Vigil's HTTP API, as the scenario's operator app (both roles) by default. */
  apiToken(appDisplayName?: string, secret?: string): Promise<string>;
  /** Admin API call; throws on a non-2xx answer. */
  admin(path: string, body?: unknown, method?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts an in-memory local cloud on free ports with the test scenario (or another one). */
export async function startTestCloud(options: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const cloud = await startLocalCloud({ certificatesDir, ...options, scenario: withApiOperator(options.scenario ?? testScenario()) });
  const global = cloud.endpoints.clouds.global!;
  const appId = (name: string): string => {
    const id = cloud.seed?.appIds[name];
    if (!id) throw new Error(`no app ${name} in the scenario`);
    return id;
  };
  const credential = (name = 'Vigil', secret = VIGIL_SECRET, tenantId = TENANT) =>
    new ClientSecretCredential(tenantId, appId(name), secret, { authorityHost: global.login, disableInstanceDiscovery: true });
  return {
    cloud,
    credential,
    secretClient: (vault, cred = credential()) =>
      new SecretClient(cloud.endpoints.vaults[vault]!, cred, { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } }),
    graphClient: (cred = credential()) =>
      Client.initWithMiddleware({
        authProvider: new TokenCredentialAuthenticationProvider(cred, { scopes: [`${GRAPH}/.default`] }),
        baseUrl: `${global.graph}/`,
        customHosts: new Set(['localhost']),
      }),
    async apiToken(name = 'Vigil operator', secret = OPERATOR_SECRET) {
      return (await credential(name, secret).getToken(`${VIGIL_API}/.default`))!.token;
    },
    async admin(path, body, method = body === undefined ? 'GET' : 'POST') {
      const response = await fetch(`${cloud.endpoints.admin}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`admin ${method} ${path} → ${response.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
    stop: () => cloud.stop(),
  };
}

/**
 * Every test directory gets Vigil's API (app roles on the Vigil app) and an operator app holding both
 * roles in the first tenant, so any test can call the HTTP functions with a real token.
 */
function withApiOperator(scenario: Scenario): Scenario {
  const [home, ...others] = scenario.tenants;
  if (!home) return scenario;
  const applications = (home.applications ?? []).map((a) =>
    a.displayName === 'Vigil' ? { ...a, identifierUris: [...new Set([...(a.identifierUris ?? []), VIGIL_API])], appRoles: [...new Set([...(a.appRoles ?? []), 'Vigil.Read', 'Vigil.Rotate'])] } : a,
  );
  if (!applications.some((a) => a.displayName === 'Vigil operator')) {
    applications.push({ displayName: 'Vigil operator', passwordCredentials: [{ displayName: 'operator', secretText: OPERATOR_SECRET, end: { inDays: 300 } }], roles: { [VIGIL_API]: ['Vigil.Read', 'Vigil.Rotate'] } });
  }
  return { ...scenario, tenants: [{ ...home, applications }, ...others] };
}
