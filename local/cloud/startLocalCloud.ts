import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { createAdminApp } from './admin/createAdminApp.js';
import { AccessTokens } from './entra/AccessTokens.js';
import { createEntraApp } from './entra/createEntraApp.js';
import {
  azureLimits,
  type EmulatorContext,
  type LocalCloudBehaviour,
  type LocalCloudEndpoints,
  type LocalCloudLimits,
} from './EmulatorContext.js';
import { createGraphApp } from './graph/createGraphApp.js';
import { createHttpsListener, type CloudApp, type Listener } from './http/createHttpsListener.js';
import { FaultInjector, type ServiceName } from './http/faults.js';
import { describeLatency, injectLatency } from './http/latency.js';
import { createKeyVaultApp } from './keyvault/createKeyVaultApp.js';
import type { Scenario } from './scenario/scenarioSchema.js';
import { prepareCertificates } from './scenario/prepareCertificates.js';
import { seedScenario, type SeedResult } from './scenario/seedScenario.js';
import { createSinksApp } from './sinks/createSinksApp.js';
import { CloudStore } from './state/CloudStore.js';
import type { CloudName } from './state/model.js';
import { ensureCertificates } from './tls/ensureCertificates.js';

export interface LocalCloudOptions {
  /** Where the CA and server certificate live; created on first use, reused afterwards. */
  certificatesDir: string;
  /** When set, the signing key and the whole state are kept here between runs; otherwise all is in memory. */
  stateDir?: string;
  /** Fixed ports for a person's run (`npm start`); tests leave them out and get free ports. */
  ports?: { admin?: number; sinks?: number; clouds?: Partial<Record<CloudName, { login: number; graph: number }>>; firstVault?: number };
  /** Clouds that get their own login and Graph hosts (default: the tenants' clouds, at least global). */
  clouds?: CloudName[];
  limits?: { keyVault?: Partial<LocalCloudLimits['keyVault']>; graph?: Partial<LocalCloudLimits['graph']> };
  /** Seeded when the state is new (always, without a stateDir). */
  scenario?: Scenario;
  /** Where Azure's answers vary: injected latency per service, fractional Retry-After (default: none, whole seconds). */
  behaviour?: Partial<LocalCloudBehaviour>;
  /** Where a set latency is announced (stderr by default), so a measurement says what it assumed. */
  log?: (line: string) => void;
}

export interface LocalCloud {
  readonly endpoints: LocalCloudEndpoints;
  readonly context: EmulatorContext;
  /** Values created by seeding (kept with the state, so a restart still knows the demo identities). */
  readonly seed: SeedResult | undefined;
  /**
   * The emulated clock (moved by `POST /admin/clock`), which the local Entra checks assertions and dates
   * ID tokens by, in milliseconds since the epoch: a runtime beside this cloud dates its requests to Entra
   * by it (createRuntime's `clock`).
   */
  readonly clock: () => number;
  stop(): Promise<void>;
}

/** Starts every emulator on loopback HTTPS over one shared state: one call, in-process. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const certificates = await ensureCertificates(options.certificatesDir);
  const store = CloudStore.open(options.stateDir ? path.join(options.stateDir, 'state.json') : undefined);
  const tokens = await AccessTokens.create(options.stateDir ? path.join(options.stateDir, 'signing-key.json') : undefined);
  const isNew = store.data.tenants.length === 0;
  const seed =
    isNew && options.scenario
      ? seedScenario(store, options.scenario, await prepareCertificates(options.scenario, store.now()))
      : readSavedSeed(options.stateDir);
  if (isNew && seed && options.stateDir) await saveSeed(options.stateDir, seed);
  const limits: LocalCloudLimits = {
    keyVault: { ...azureLimits.keyVault, ...options.limits?.keyVault },
    graph: { ...azureLimits.graph, ...options.limits?.graph },
  };
  const endpoints: LocalCloudEndpoints = { clouds: {}, vaults: {}, sinks: '', admin: '', caFile: certificates.caFile };
  const behaviour: LocalCloudBehaviour = { latencyMs: {}, fractionalRetryAfter: false, ...options.behaviour };
  const context: EmulatorContext = { store, tokens, faults: new FaultInjector(), limits, behaviour, endpoints };
  const listeners: Listener[] = [];
  const listen = async (service: ServiceName | 'admin', app: CloudApp, port = 0): Promise<string> => {
    const root = new Hono<{ Bindings: HttpBindings }>();
    if (service !== 'admin') {
      root.use(
        '*',
        injectLatency(service, () => behaviour.latencyMs),
      );
      root.use('*', context.faults.middleware(service));
    }
    root.route('/', app);
    const listener = await createHttpsListener(root, certificates, port);
    listeners.push(listener);
    return listener.url;
  };

  const clouds = new Set<CloudName>(options.clouds ?? ['global', ...store.data.tenants.map((t) => t.cloud)]);
  for (const cloud of clouds) {
    const ports = options.ports?.clouds?.[cloud];
    // The URLs must be known before requests arrive; fill them in as each host starts.
    const entry = { login: '', graph: '' };
    endpoints.clouds[cloud] = entry;
    entry.login = await listen('entra', createEntraApp(context, cloud), ports?.login);
    entry.graph = await listen('graph', createGraphApp(context, cloud), ports?.graph);
  }
  let vaultPort = options.ports?.firstVault;
  for (const vault of store.data.vaults) {
    endpoints.vaults[vault.name] = await listen('keyvault', createKeyVaultApp(context, vault.name), vaultPort);
    if (vaultPort) vaultPort += 1;
  }
  endpoints.sinks = await listen('sinks', createSinksApp(context), options.ports?.sinks);
  endpoints.admin = await listen('admin', createAdminApp(context), options.ports?.admin);
  const latency = describeLatency(behaviour.latencyMs);
  if (latency) (options.log ?? ((line: string) => console.error(line)))(latency);

  return {
    endpoints,
    context,
    seed,
    clock: () => store.now().getTime(),
    async stop() {
      await Promise.all(listeners.map((l) => l.close()));
      await store.save();
    },
  };
}

/** The demo's generated secrets live only in the git-ignored state folder, readable by its owner alone. */
async function saveSeed(stateDir: string, seed: SeedResult): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(path.join(stateDir, 'seed.json'), JSON.stringify(seed), { mode: 0o600 });
}

function readSavedSeed(stateDir: string | undefined): SeedResult | undefined {
  const file = stateDir && path.join(stateDir, 'seed.json');
  return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SeedResult) : undefined;
}
