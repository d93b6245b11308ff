import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalCloudEndpoints } from '../cloud/EmulatorContext.js';
import type { Azurite } from '../azurite/startAzurite.js';
import { localPorts } from '../localPorts.js';
import { projectRoot } from '../paths.js';

/** The `Values` of local.settings.json when a person made one, else of local.settings.sample.json. */
export function readLocalSettingsFile(): Record<string, string> {
  const own = path.join(projectRoot, 'local.settings.json');
  const file = existsSync(own) ? own : path.join(projectRoot, 'local.settings.sample.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { Values: Record<string, string> }).Values;
}

/**
 * The settings with the local cloud's actual addresses filled in. With the fixed ports of a person's run
 * they equal the sample file's; tests on free ports get their own.
 */
export function withLocalEndpoints(
  values: Record<string, string>,
  endpoints: LocalCloudEndpoints,
  azurite: Azurite,
): Record<string, string> {
  const clouds = Object.fromEntries(Object.entries(endpoints.clouds).map(([name, e]) => [name, { login: e.login, graph: e.graph }]));
  return {
    ...values,
    AzureWebJobsStorage: azurite.connectionString,
    VIGIL_CLOUD_ENDPOINTS: JSON.stringify(clouds),
    VIGIL_KEY_VAULT_URLS: Object.values(endpoints.vaults).join(','),
    // Notification routes and their vault name the fixed ports of the sample file; point them at this run's.
    ...(values['VIGIL_ROUTES']
      ? { VIGIL_ROUTES: values['VIGIL_ROUTES'].replaceAll(`https://localhost:${localPorts.sinks}`, endpoints.sinks) }
      : {}),
    ...(values['VIGIL_NOTIFICATION_VAULT_URL']
      ? { VIGIL_NOTIFICATION_VAULT_URL: Object.values(endpoints.vaults)[0] ?? values['VIGIL_NOTIFICATION_VAULT_URL'] }
      : {}),
  };
}

/** The sample file's VIGIL_PUBLIC_BASE_URL: the dev host on its fixed port. */
const sampleBaseUrl = `http://localhost:${localPorts.devHost}`;

/**
 * The sample's VIGIL_PUBLIC_BASE_URL (the dev host on its fixed port) follows the dev host's origin
 * (`http://localhost:PORT`, the port it listens on), so sign-in links reach it on free ports too. Any other base URL
 * is the person's own, even on localhost (a port forward, a local TLS proxy), and is kept as given.
 * The origin is the form loadSettings keeps a base URL in, so settings already loaded take it as they are.
 */
export function withPublicBaseUrl<T extends { readonly VIGIL_PUBLIC_BASE_URL?: string | undefined }>(values: T, origin: string): T {
  const base = values.VIGIL_PUBLIC_BASE_URL;
  if (!base || !URL.canParse(base) || new URL(base).href !== new URL(sampleBaseUrl).href) return values;
  return { ...values, VIGIL_PUBLIC_BASE_URL: origin };
}
