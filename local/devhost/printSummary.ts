import path from 'node:path';
import { readInventory } from '../../shared/adapters/storage/inventoryTable.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import type { LocalCloud } from '../cloud/startLocalCloud.js';
import { localCloudDir } from '../paths.js';
import { writeNotificationOutputs } from './writeNotificationOutputs.js';
import { describeTokenConnections } from './describeTokenConnections.js';
import { describeCredentialFindings } from './describeCredentialFindings.js';
import { describeReconnectLinks } from './describeReconnectLinks.js';

/** What a person reads after a local run: what Vigil looked at, what it found, and what it sent. */
export async function printSummary(
  runtime: Runtime,
  cloud: LocalCloud,
  apiUrl: string,
  write: (line: string) => void = console.log,
  /** Local sign-in passwords of the scenario's people, by lower-case UPN, to print beside their links. */
  passwords: Readonly<Record<string, string>> = {},
  /** `--once`: the servers stop after the summary, so it offers no addresses to open. */
  stopping = false,
): Promise<void> {
  const inventory = await readInventory(runtime.table('inventory'));
  const tenantName = (id: string) => cloud.context.store.tenant(id)?.displayName ?? id;
  write('');
  write('Vigil — local run summary');
  write('=========================');
  write('What Vigil could see:');
  if (!inventory) write('  (no inventory was taken)');
  for (const v of inventory?.vaults ?? []) {
    write(
      v.outcome.kind === 'checked'
        ? `  ✓ vault ${v.vaultUrl}: ${v.outcome.value.secrets} secrets, ${v.outcome.value.connections} token connections, ${v.outcome.value.expiring} expiring within 30 days`
        : `  ✗ vault ${v.vaultUrl}: COULD NOT CHECK: ${v.outcome.reason}`,
    );
  }
  for (const t of inventory?.tenants ?? []) {
    write(
      t.outcome.kind === 'checked'
        ? `  ✓ tenant ${tenantName(t.tenantId)} (${t.tenantId}): ${t.outcome.value.applications} app registrations, ${t.outcome.value.servicePrincipals} service principals`
        : `  ✗ tenant ${tenantName(t.tenantId)} (${t.tenantId}): COULD NOT CHECK: ${t.outcome.reason}`,
    );
  }
  write('Token connections:');
  for (const line of await describeTokenConnections(runtime)) write(line);
  write('Reconnect by sign-in:');
  for (const line of await describeReconnectLinks(runtime, passwords, stopping)) write(line);
  write('Credentials (expiry scan):');
  for (const line of await describeCredentialFindings(runtime)) write(line);
  const captured = cloud.context.store.data;
  write('What Vigil sent (captured by the local cloud):');
  write(`  ${captured.mail.length} mail(s), ${captured.teams.length} Teams card(s), ${captured.webhooks.length} webhook(s)`);
  const outputs = writeNotificationOutputs(captured, path.join(localCloudDir, 'out'));
  const files = [...outputs.mail.filter((f) => f.endsWith('.html')), ...outputs.teams, ...outputs.webhooks];
  for (const file of files.slice(0, 12)) write(`    ${file}`);
  if (files.length > 12) write(`    …and ${files.length - 12} more in ${outputs.dir}`);
  if (stopping) {
    write('The local cloud and the HTTP API stop now (--once). Run `npm start` without --once to open the');
    write('status page, call the API and follow the reconnect links.');
    write('');
    return;
  }
  write('Where to look:');
  write(`  Status page       ${apiUrl}/dashboard   (open in a browser)`);
  write(`  HTTP API          ${apiUrl}/openapi.json`);
  write(`  Token connections ${apiUrl}/connections`);
  write(`  Findings          ${apiUrl}/findings (?format=csv)`);
  write('  (API calls need an Entra access token with the role Vigil.Read; without one they answer 401.');
  write('   README "Rotate a secret on demand" gets one from the local Entra in one line;');
  write('   `npx vigil findings` gets its own: README "The CLI for on-call staff".)');
  write(
    `  Rotate a secret   POST ${apiUrl}/rotations with an Ops CLI token: README "Rotate a secret on demand" (API: ${apiUrl}/openapi.json)`,
  );
  write(`  Local cloud admin ${cloud.endpoints.admin}/admin/state`);
  write(
    `  Local Entra       ${cloud.endpoints.clouds.global?.login ?? ''} (token endpoint: /{tenant}/oauth2/v2.0/token; CA ${cloud.endpoints.caFile})`,
  );
  write('');
}
