import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { toConnectionRow } from '../shared/adapters/storage/connectionTable.js';
import { chunks } from '../shared/adapters/storage/ensureTable.js';
import { createConcurrencyLimit } from '../shared/helpers/createConcurrencyLimit.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import type { HealthyConnectionState } from '../shared/tokens/ConnectionState.js';
import { BENCH_TENANT, appOfConnection, connectionName } from './benchScenario.js';
import { withoutCpuProfile } from './vigilCpuProfile.js';

/** What the seeding child is asked to do, over IPC. */
export interface SeedRequest {
  connectionString: string;
  tableName: string;
  vaultUrls: string[];
  connections: number;
  now: string;
}

/**
 * Seeds in a child process, so that the rows built to seed do not stay in the measured process's
 * memory (RSS rarely shrinks after a collection, and a raised baseline would hide growth).
 */
export function seedInChild(request: SeedRequest): Promise<void> {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'seedConnectionStatesRun.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: withoutCpuProfile(process.execArgv),
  });
  child.send(request);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding the connection states exited with ${code}`))));
  });
}

/**
 * Steady state: every connection has the row a refresh a day ago left, healthy and due now, so the
 * planner reads as many rows as it lists, and each refresh takes its lease from the planned row.
 * The rows go in as transactions per partition (at most 100 writes each), which Azurite takes far faster than one write each.
 */
export async function seedConnectionStates(
  table: TableClient,
  vaultUrls: readonly string[],
  connections: number,
  now: DateTime,
): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (let i = 0; i < connections; i += 1) {
    const row = toConnectionRow(steadyState(vaultUrls[i % vaultUrls.length]!, i, connections, now));
    const actions = byPartition.get(row.partitionKey) ?? [];
    if (actions.length === 0) byPartition.set(row.partitionKey, actions);
    actions.push(['upsert', row, 'Replace']);
  }
  const few = createConcurrencyLimit(4);
  const transactions = [...byPartition.values()].flatMap((actions) => chunks(actions));
  await Promise.all(transactions.map((actions) => few(() => table.submitTransaction(actions))));
}

/** What a healthy connection's row holds a day after its last refresh, with its token lapse and client secret facts. */
function steadyState(vaultUrl: string, i: number, connections: number, now: DateTime): HealthyConnectionState {
  const app = appOfConnection(i, connections);
  const lastAttempt = toIsoUtc(now.minus({ hours: 24, minutes: 5 }));
  return {
    vaultUrl,
    name: connectionName(i),
    status: 'healthy',
    consecutiveFailures: 0,
    lastAttempt,
    lastSuccess: lastAttempt,
    nextAttemptAt: toIsoUtc(now.minus({ minutes: 5 })),
    tokenVersion: `${String(i).padStart(8, '0')}0123456789abcdef01234567`,
    lastWriteBack: toIsoUtc(now.minus({ days: 3 })),
    expectedLapse: toIsoUtc(now.plus({ days: 89 })),
    grantedScopes: 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
    clientSecret: {
      kind: 'clientSecret',
      name: `app-${app}-secret`,
      appId: `00000000-0000-4000-8000-${String(app).padStart(12, '0')}`,
      keyId: `00000000-0000-4000-9000-${String(app).padStart(12, '0')}`,
      endDateTime: toIsoUtc(now.plus({ days: 300 })),
    },
    tenant: BENCH_TENANT,
    owner: `mailbox${i % 20}@bench.onmicrosoft.com`,
    downstream: 'Bench',
  };
}
