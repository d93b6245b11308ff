import { directorySelects } from '../shared/adapters/graph/toDirectoryChanges.js';
import { BENCH_LATENCY } from './benchGoals.js';
import { BenchCloud } from './BenchCloud.js';
import {
  SCAN_HOME_TENANT,
  SCAN_TENANT_SECRET,
  SCAN_VAULT,
  SCAN_VIGIL_APP_ID,
  SCAN_VIGIL_SECRET,
  benchTenantId,
} from './scanBenchScenario.js';

/**
 * How long the local cloud takes to answer N requests sent at once, per service, against the latency it
 * injects (`node dist/local/bin/withLocalCa.js node dist/bench/cloudRounds.js [--json] [--only <kind>] [rounds] [N…]`):
 * the scan bench's cloud (80 tenants of 200 apps, in its own process, BENCH_LATENCY) is sent N requests
 * together by plain HTTPS, as Vigil's Graph client does, `rounds` times; each request's round time (send
 * to the answer's last byte) gives p50 and p95, and the cloud process's CPU over the round, divided by the
 * requests, the emulator's own cost per request. A round time above the latency is the emulator's.
 */
const args = process.argv.slice(2);
const json = args.includes('--json');
/** `--only servicePrincipals`: the kinds whose name contains it. */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : '';
const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
const rounds = numbers[0] ?? 5;
const concurrencies = numbers.length > 1 ? numbers.slice(1) : [1, 16, 80];
const tenants = Math.max(...concurrencies);

// CLOUD_CPU_PROF=<dir>: the cloud process writes a CPU profile there when it stops.
const profile = process.env.CLOUD_CPU_PROF;
const cloud = await BenchCloud.start(['tenants', String(tenants), '200'], profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
const { endpoints } = cloud;
const login = endpoints.clouds.global!.login;
const graph = endpoints.clouds.global!.graph;
const vault = endpoints.vaults[SCAN_VAULT]!;

async function token(tenant: string, resource: string): Promise<string> {
  const form = new URLSearchParams({
    client_id: SCAN_VIGIL_APP_ID,
    client_secret: SCAN_VIGIL_SECRET,
    scope: `${resource}/.default`,
    grant_type: 'client_credentials',
  });
  const answer = await fetch(`${login}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: form });
  if (!answer.ok) throw new Error(`token: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}

const graphTokens = await Promise.all(Array.from({ length: tenants }, (_, t) => token(benchTenantId(t), 'https://graph.microsoft.com')));
const vaultToken = await token(SCAN_HOME_TENANT, 'https://vault.azure.net');
const secretUrl = `${vault}/secrets/${SCAN_TENANT_SECRET}`;
const version = (
  (await (await fetch(`${secretUrl}?api-version=7.5`, { headers: { authorization: `Bearer ${vaultToken}` } })).json()) as { id: string }
).id
  .split('/')
  .pop()!;

/** One request of each kind, the i-th of a round: each Graph or token request to its own tenant, as a multi-tenant scan sends them. */
const kinds: Record<string, { latency: number; send: (i: number) => Promise<Response> }> = {
  'graph applications page': {
    latency: BENCH_LATENCY.graph,
    send: (i) =>
      fetch(`${graph}/v1.0/applications?$select=${directorySelects.applications.join(',')}&$top=999`, {
        headers: { authorization: `Bearer ${graphTokens[i]}` },
      }),
  },
  'graph servicePrincipals page': {
    latency: BENCH_LATENCY.graph,
    send: (i) =>
      fetch(`${graph}/v1.0/servicePrincipals?$select=${directorySelects.servicePrincipals.join(',')}&$top=999`, {
        headers: { authorization: `Bearer ${graphTokens[i]}` },
      }),
  },
  'entra token': {
    latency: BENCH_LATENCY.entra,
    send: (i) =>
      fetch(`${login}/${benchTenantId(i)}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: SCAN_VIGIL_APP_ID,
          client_secret: SCAN_VIGIL_SECRET,
          scope: 'https://graph.microsoft.com/.default',
          grant_type: 'client_credentials',
        }),
      }),
  },
  'keyvault get secret': {
    latency: BENCH_LATENCY.keyvault,
    send: () => fetch(`${secretUrl}?api-version=7.5`, { headers: { authorization: `Bearer ${vaultToken}` } }),
  },
  'keyvault updateTags': {
    latency: BENCH_LATENCY.keyvault,
    send: (i) =>
      fetch(`${secretUrl}/${version}?api-version=7.5`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${vaultToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tags: { round: String(i) } }),
      }),
  },
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const rows: Array<{ service: string; n: number; latency: number; p50: number; p95: number; cpuMsPerRequest: number }> = [];
for (const [service, kind] of Object.entries(kinds).filter(([name]) => name.includes(only))) {
  for (const n of concurrencies) {
    await Promise.all(Array.from({ length: n }, (_, i) => kind.send(i).then((a) => a.arrayBuffer()))); // warm connections
    await cloud.ask({ kind: 'reset' });
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const started = performance.now();
          const answer = await kind.send(i);
          await answer.arrayBuffer();
          if (!answer.ok) throw new Error(`${service}: ${answer.status}`);
          times.push(performance.now() - started);
        }),
      );
    }
    const { cpuSeconds } = await cloud.ask<{ cpuSeconds: number }>({ kind: 'stats' });
    times.sort((a, b) => a - b);
    const row = {
      service,
      n,
      latency: kind.latency,
      p50: Math.round(quantile(times, 0.5)),
      p95: Math.round(quantile(times, 0.95)),
      cpuMsPerRequest: Number(((cpuSeconds * 1000) / (n * rounds)).toFixed(2)),
    };
    rows.push(row);
    if (json) console.log(JSON.stringify(row));
    else
      console.log(
        `${service.padEnd(30)} N=${String(n).padStart(3)}  latency ${row.latency} ms  p50 ${row.p50} ms  p95 ${row.p95} ms  cloud CPU ${row.cpuMsPerRequest} ms/request`,
      );
  }
}
cloud.stop();
await cloud.exited;
