import { graphStats, resetGraphStats } from '../local/cloud/graph/createGraphApp.js';
import { startLocalCloud } from '../local/cloud/startLocalCloud.js';
import { certificatesDir } from '../local/paths.js';
import { BENCH_LATENCY } from './benchGoals.js';
import { SCAN_HOME_TENANT, addGeneratedApps, addSignIns, manyTenantsScenario, singleTenantScenario } from './scanBenchScenario.js';

/**
 * The scan bench's local cloud, in its own process so that the scanner's memory and CPU are its own.
 * Graph's published identity limits apply (the defaults), and every request waits BENCH_LATENCY. Over IPC: endpoints once started, then
 * request counts, a reset of them, and "change 1 % of the applications" for the delta measurement.
 */
const [kind, size, perTenant] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)];
const messy = process.argv[4] === 'messy';
const seedStart = Date.now();
const cloud = await startLocalCloud({
  certificatesDir,
  scenario: kind === 'single' ? singleTenantScenario() : manyTenantsScenario(size, perTenant),
  behaviour: { latencyMs: { ...BENCH_LATENCY } },
});
if (kind === 'single') addGeneratedApps(cloud.context.store, size, messy);
const signIns = Number(process.argv.find((a) => a.startsWith('signins='))?.slice('signins='.length) ?? 0);
if (kind === 'single' && signIns > 0) addSignIns(cloud.context.store, signIns);
const ctx = cloud.context;
// Count the requests to Entra by kind: no-op faults that are never used up. A request meets the first
// that matches, so the token endpoint's POSTs and MSAL's authority metadata GETs are counted apart from
// anything else.
const counter = (path: string, method?: string) =>
  ctx.faults.add({ service: 'entra', path, ...(method ? { method } : {}), action: { kind: 'latency', ms: 0 }, times: 1e9 });
const entraCounters = {
  tokenPosts: counter('/oauth2/v2.0/token$', 'POST'),
  metadataGets: counter('/\\.well-known/openid-configuration$', 'GET'),
  other: counter('.*'),
};
const issued = (id: number) => 1e9 - (ctx.faults.list().find((f) => f.id === id)?.remaining ?? 1e9);
const cpuSeconds = () => (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
/** The counts at the last reset: the stats are what was asked since. */
let atReset = { tokenPosts: 0, metadataGets: 0, other: 0, cpuSeconds: cpuSeconds() };
const counted = (kind: keyof typeof entraCounters) => issued(entraCounters[kind]) - atReset[kind];

/** Adds a secret to every `every`-th generated application (offset so they are not the expiring ones). */
function touch(every: number): number {
  const { directory } = ctx.store;
  const tenant = directory.tenant(SCAN_HOME_TENANT)!;
  let changed = 0;
  for (const app of [...tenant.applications.all()]) {
    const index = Number(/^App (\d+)$/.exec(app.displayName)?.[1] ?? -1);
    if (index < 0 || index % every !== every / 2) continue;
    const now = ctx.store.now().getTime();
    directory.addPassword(tenant, app, { start: new Date(now), end: new Date(now + 500 * 86_400_000), displayName: 'rotated' });
    changed += 1;
  }
  return changed;
}

process.on('message', (message: { kind: string; every?: number }) => {
  if (message.kind === 'stats') {
    const stats = graphStats(ctx);
    process.send!({
      requests: stats.requests,
      throttled: stats.throttled,
      tenants: Object.keys(stats.byTenant).length,
      perTenant: Object.values(stats.byTenant).map((c) => c.requests),
      entra: {
        tokenPosts: counted('tokenPosts'),
        metadataGets: counted('metadataGets'),
        other: counted('other'),
      },
      cpuSeconds: cpuSeconds() - atReset.cpuSeconds,
      reportRows: Math.max(0, ...ctx.store.directory.tenants().map((t) => t.record.credentialActivity.length)),
    });
  } else if (message.kind === 'reset') {
    resetGraphStats(ctx);
    atReset = {
      tokenPosts: issued(entraCounters.tokenPosts),
      metadataGets: issued(entraCounters.metadataGets),
      other: issued(entraCounters.other),
      cpuSeconds: cpuSeconds(),
    };
    process.send!({ ok: true });
  } else if (message.kind === 'touch') {
    process.send!({ changed: touch(message.every!) });
  } else if (message.kind === 'stop') {
    void cloud.stop().then(() => process.exit(0));
  }
});
console.error(`bench cloud seeded in ${Date.now() - seedStart} ms`);
process.send!({ endpoints: cloud.endpoints });
