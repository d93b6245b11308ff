import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAzurite } from '../azurite/startAzurite.js';
import { parseLatency } from '../cloud/http/latency.js';
import type { Scenario } from '../cloud/scenario/scenarioSchema.js';
import { startLocalCloud } from '../cloud/startLocalCloud.js';
import { localPorts } from '../localPorts.js';
import { certificatesDir, localCloudDir, projectRoot } from '../paths.js';

/**
 * `npm run local-cloud`: only the emulators and Azurite, in the foreground, for pointing other tools at.
 * Prints one JSON line: endpoints, the CA to trust and the demo identities (local, demo-only secrets).
 * `-- --latency graph=250,entra=100,keyvault=30` adds a fixed latency to every request of those services.
 */
const { values } = parseArgs({ options: { latency: { type: 'string' } } });
const scenario = JSON.parse(readFileSync(path.join(projectRoot, 'local', 'scenarios', 'demo.json'), 'utf8')) as Scenario;
const cloud = await startLocalCloud({
  certificatesDir,
  scenario,
  stateDir: path.join(localCloudDir, 'state'),
  ports: localPorts,
  behaviour: { latencyMs: values.latency ? parseLatency(values.latency) : {} },
});
const azurite = await startAzurite({ location: path.join(localCloudDir, 'state', 'azurite'), ports: localPorts.azurite });

const demoApps = scenario.tenants.flatMap((t) =>
  (t.applications ?? []).map((a) => ({
    tenantId: t.id,
    displayName: a.displayName,
    clientId: cloud.seed?.appIds[a.displayName],
    clientSecrets: (a.passwordCredentials ?? []).map((c) => ({
      displayName: c.displayName,
      secretText: cloud.seed?.clientSecrets[`${a.displayName}/${c.displayName}`] ?? c.secretText ?? null,
    })),
  })),
);
console.log(
  JSON.stringify({
    endpoints: { ...cloud.endpoints, azurite: { connectionString: azurite.connectionString } },
    caFile: cloud.endpoints.caFile,
    tenants: cloud.context.store.directory.tenants().map(({ record: t }) => ({ id: t.id, displayName: t.displayName, cloud: t.cloud })),
    demoApps,
  }),
);

const stop = () => {
  void Promise.all([cloud.stop(), azurite.stop()]).then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
