import { ClientSecretCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud/startLocalCloud.js';
import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { certificatesDir } from '../../local/paths.js';
import { GRAPH, TENANT, VIGIL_API, VIGIL_SECRET, testScenario } from './testScenario.js';

export interface TestCloud {
  cloud: LocalCloud;
  /** A credential for an app of the scenario, pointed at the local Entra the way Vigil's settings do it. */
  credential(appDisplayName?: string, secret?: string, tenantId?: string): ClientSecretCredential;
  secretClient(vault: string, credential?: ClientSecretCredential): SecretClient;
  graphClient(credential?: ClientSecretCredential): Client;
  /** A bearer token for Vigil's HTTP API, as the Vigil app (both roles, see withApiOperator) by default. */
  apiToken(appDisplayName?: string, secret?: string): Promise<string>;
  /** Admin API call; throws on a non-2xx answer. */
  admin(path: string, body?: unknown, method?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Starts an in-memory local cloud on free ports with the test scenario (or another one). */
export async function startTestCloud(options: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const cloud = await startLocalCloud({ certificatesDir, scenario: testScenario(), ...options });
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
      new SecretClient(cloud.endpoints.vaults[vault]!, cred, {
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      }),
    graphClient: (cred = credential()) =>
      Client.initWithMiddleware({
        authProvider: new TokenCredentialAuthenticationProvider(cred, { scopes: [`${GRAPH}/.default`] }),
        baseUrl: `${global.graph}/`,
        customHosts: new Set(['localhost']),
      }),
    async apiToken(name = 'Vigil', secret = VIGIL_SECRET) {
      return (await credential(name, secret).getToken(`${VIGIL_API}/.default`)).token;
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
 * Publishes Vigil's API (app roles on the Vigil app) and lets the Vigil app itself hold both roles, so
 * a test can call the HTTP functions with a real token without adding an app to the directory it scans.
 */
export function withApiOperator(scenario: Scenario): Scenario {
  const [home, ...others] = scenario.tenants;
  if (!home) return scenario;
  const applications = (home.applications ?? []).map((a) =>
    a.displayName === 'Vigil'
      ? {
          ...a,
          identifierUris: [...new Set([...(a.identifierUris ?? []), VIGIL_API])],
          appRoles: [...new Set([...(a.appRoles ?? []), 'Vigil.Read', 'Vigil.Rotate'])],
          roles: { ...a.roles, [VIGIL_API]: ['Vigil.Read', 'Vigil.Rotate'] },
        }
      : a,
  );
  return { ...scenario, tenants: [{ ...home, applications }, ...others] };
}
