import { keyVaultStats } from '../local/cloud/keyvault/keyVaultStats.js';
import { startLocalCloud } from '../local/cloud/startLocalCloud.js';
import { certificatesDir } from '../local/paths.js';
import { BENCH_LATENCY } from './benchGoals.js';
import { benchScenario, benchVaultNames, connectionName, vaultOfConnection } from './benchScenario.js';

/**
 * The bench's local cloud, in its own process so that the Vigil process's memory and CPU are its own.
 * Azure's Key Vault limits apply (the defaults), and every request waits BENCH_LATENCY (Key Vault, the token endpoint). Talks to the bench over IPC: endpoints once started,
 * then request counts on demand. Every `writeBackEvery`-th connection gets a stored token 8 days old and
 * an older version beside it, as in steady state, so it is due for write-back and one version to disable.
 */
const [connections, writeBackEvery, vaults = 1] = process.argv.slice(2).map(Number) as [number, number, number?];
const cloud = await startLocalCloud({
  certificatesDir,
  scenario: benchScenario(connections, vaults),
  behaviour: { latencyMs: { ...BENCH_LATENCY } },
});
const vaultNames = benchVaultNames(vaults);
const nowSeconds = cloud.context.store.nowSeconds();
for (let i = 0; i < connections; i += writeBackEvery) {
  const vault = cloud.context.store.data.vaults.find((v) => v.name === vaultOfConnection(i, vaults))!;
  const secret = vault.secrets[connectionName(i)]!;
  const current = secret.versions[0]!;
  const aged = (days: number, version: string) => ({
    ...current,
    version,
    attributes: { ...current.attributes, created: nowSeconds - days * 86_400, updated: nowSeconds - days * 86_400 },
  });
  secret.versions = [aged(16, `${current.version.slice(0, 30)}00`), aged(8, current.version)];
}
// Count every request that reaches Key Vault and Entra (401 challenges and 429s included): a no-op fault that is never used up.
const counters = {
  keyvault: cloud.context.faults.add({ service: 'keyvault', action: { kind: 'latency', ms: 0 }, times: 1e9 }),
  entra: cloud.context.faults.add({ service: 'entra', action: { kind: 'latency', ms: 0 }, times: 1e9 }),
};
const issued = (id: number) => 1e9 - (cloud.context.faults.list().find((f) => f.id === id)?.remaining ?? 1e9);

process.on('message', (message: string) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    process.send!({
      // Every vault's counts together: the limits are per vault, the minimum is their sum.
      keyVault: vaultNames
        .map((name) => keyVaultStats(cloud.context, name))
        .reduce((a, b) => ({ creates: a.creates + b.creates, others: a.others + b.others, throttled: a.throttled + b.throttled })),
      keyVaultRequests: issued(counters.keyvault),
      entraRequests: issued(counters.entra),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    });
  } else if (message === 'stop') {
    void cloud.stop().then(() => process.exit(0));
  }
});
process.send!({
  endpoints: cloud.endpoints,
  vigilAppId: cloud.seed!.appIds['Vigil'],
});
