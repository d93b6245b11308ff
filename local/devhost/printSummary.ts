import { readInventory } from '../../shared/adapters/storage/inventoryTable.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import type { LocalCloud } from '../cloud/startLocalCloud.js';

/** What a person reads after a local run: what Vigil looked at, what it found, and what it sent. */
export async function printSummary(runtime: Runtime, cloud: LocalCloud, apiUrl: string, write: (line: string) => void = console.log): Promise<void> {
  const inventory = await readInventory(runtime.table('inventory'));
  const tenantName = (id: string) => cloud.context.store.tenant(id)?.displayName ?? id;
  write('');
  write('Vigil — local run summary');
  write('=========================');
  write('What Vigil could see:');
  if (!inventory) write('  (no inventory was taken)');
  for (const v of inventory?.vaults ?? []) {
    write(v.outcome.kind === 'checked'
      ? `  ✓ vault ${v.vaultUrl}: ${v.outcome.value.secrets} secrets, ${v.outcome.value.connections} token connections, ${v.outcome.value.expiring} expiring within 30 days`
      : `  ✗ vault ${v.vaultUrl}: COULD NOT CHECK: ${v.outcome.reason}`);
  }
  for (const t of inventory?.tenants ?? []) {
    write(t.outcome.kind === 'checked'
      ? `  ✓ tenant ${tenantName(t.tenantId)} (${t.tenantId}): ${t.outcome.value.applications} app registrations, ${t.outcome.value.servicePrincipals} service principals`
      : `  ✗ tenant ${tenantName(t.tenantId)} (${t.tenantId}): COULD NOT CHECK: ${t.outcome.reason}`);
  }
  const captured = cloud.context.store.data;
  write('What Vigil sent (captured by the local cloud):');
  write(`  ${captured.mail.length} mail(s), ${captured.teams.length} Teams card(s), ${captured.webhooks.length} webhook(s)`);
  write('Where to look:');
  write(`  HTTP API          ${apiUrl}/inventory`);
  write(`  Local cloud admin ${cloud.endpoints.admin}/admin/state`);
  write('');
}
