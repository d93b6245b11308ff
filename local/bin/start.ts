import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startAzurite } from '../azurite/startAzurite.js';
import { startLocalCloud, type LocalCloud } from '../cloud/startLocalCloud.js';
import type { Scenario } from '../cloud/scenario/scenarioSchema.js';
import { ensureCertificates } from '../cloud/tls/ensureCertificates.js';
import { readLocalSettingsFile, withLocalEndpoints } from '../devhost/localSettings.js';
import { printSummary } from '../devhost/printSummary.js';
import { startDevHost } from '../devhost/startDevHost.js';
import { writeNotificationOutputs } from '../devhost/writeNotificationOutputs.js';
import { localPorts } from '../localPorts.js';
import { certificatesDir, localCloudDir, projectRoot } from '../paths.js';

/**
 * `npm start`: the local cloud, Azurite and the dev host with the seeded demo tenant, one cycle of
 * Vigil's timers, a summary, then (without --once) the HTTP API and schedules until Ctrl+C.
 *   --once            one cycle, then stop everything and exit
 *   --ephemeral       free ports and in-memory state (a copy beside a running one; tests)
 *   --free-ports      free ports, state kept as usual
 *   --state-dir DIR   keep the state in DIR instead of .local-cloud/state
 */
const argv = process.argv.slice(2);
const once = argv.includes('--once');
const ephemeral = argv.includes('--ephemeral');
const freePorts = ephemeral || argv.includes('--free-ports');
const stateDirArgument = argv.indexOf('--state-dir');
const stateDir = ephemeral
  ? undefined
  : path.resolve(stateDirArgument >= 0 ? (argv[stateDirArgument + 1] ?? '') : path.join(localCloudDir, 'state'));

const { caFile } = await ensureCertificates(certificatesDir);
if (process.env['NODE_EXTRA_CA_CERTS'] !== caFile) {
  // Node reads the extra CA only at start-up: run again with it set.
  const child = spawn(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  await run();
}

async function run(): Promise<void> {
  const fresh = !stateDir || !existsSync(path.join(stateDir, 'state.json'));
  const scenario = JSON.parse(readFileSync(path.join(projectRoot, 'local', 'scenarios', 'demo.json'), 'utf8')) as Scenario;
  const cloud = await startLocalCloud({
    certificatesDir,
    scenario,
    ...(stateDir ? { stateDir } : {}),
    ...(freePorts ? {} : { ports: localPorts }),
  });
  const azurite = await startAzurite({
    ...(stateDir ? { location: path.join(stateDir, 'azurite') } : {}),
    ...(freePorts ? {} : { ports: localPorts.azurite }),
  });
  let host: Awaited<ReturnType<typeof startDevHost>> | undefined;
  const stopAll = async () => {
    await host?.stop();
    await azurite.stop();
    await cloud.stop();
  };
  try {
    console.log(fresh ? 'Seeded the demo tenant into a new local cloud.' : `Reusing the local cloud state in ${stateDir}.`);
    // On free ports the dev host listens on one the system picks, and the sample's VIGIL_PUBLIC_BASE_URL follows it (startDevHost).
    const httpPort = freePorts ? 0 : localPorts.devHost;
    const settings = withLocalEndpoints(readLocalSettingsFile(), cloud.endpoints, azurite);
    // With VIGIL_TRUST_PLATFORM_AUTH the dev host plays App Service Authentication, so a browser can open the status page.
    const pageSignIn =
      settings['VIGIL_TRUST_PLATFORM_AUTH'] === 'true'
        ? { tenantId: settings['VIGIL_TENANT_ID'] ?? '', name: 'Local operator', roles: ['Vigil.Read', 'Vigil.Rotate'] }
        : undefined;
    host = await startDevHost({ settings, httpPort, clock: cloud.clock, ...(pageSignIn ? { pageSignIn } : {}) });
    await host.runOnce();
    await printSummary(host.runtime, cloud, host.apiUrl, console.log, passwordsOf(scenario), once);
  } catch (error) {
    await stopAll();
    throw error;
  }
  if (once) {
    await stopAll();
    return;
  }
  host.runContinuously();
  console.log(`Vigil is running. HTTP functions on ${host.apiUrl}. Press Ctrl+C to stop.`);
  // What Vigil sends from now on lands in .local-cloud/out/ too, not only the first cycle's messages.
  const outputs = keepWritingOutputs(cloud);
  const shutdown = () => {
    clearInterval(outputs);
    console.log('Stopping Vigil, the local cloud and Azurite…');
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** The scenario's local sign-in passwords by lower-case UPN, printed beside the reconnect links. */
function passwordsOf(scenario: Scenario): Record<string, string> {
  return Object.fromEntries(
    scenario.tenants.flatMap((t) => (t.users ?? []).flatMap((u) => (u.password ? [[u.userPrincipalName.toLowerCase(), u.password]] : []))),
  );
}

/** Every few seconds, rewrites .local-cloud/out/ when the local cloud captured something new, and says so. */
function keepWritingOutputs(cloud: LocalCloud): NodeJS.Timeout {
  const countOf = (): number => {
    const { mail, teams, slack, pagerduty, webhooks } = cloud.context.store.data;
    return mail.length + teams.length + slack.length + pagerduty.length + webhooks.length;
  };
  let written = countOf();
  const timer = setInterval(() => {
    const count = countOf();
    if (count === written) return;
    const outputs = writeNotificationOutputs(cloud.context.store.data, path.join(localCloudDir, 'out'));
    console.log(`Vigil sent ${count - written} more message(s); everything it sent is in ${outputs.dir}.`);
    written = count;
  }, 5000);
  timer.unref();
  return timer;
}
