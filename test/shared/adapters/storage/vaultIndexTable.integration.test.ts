import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createVaultIndexTable } from '../../../../shared/adapters/storage/vaultIndexTable.js';
import type { VaultIndexEntry } from '../../../../shared/scanner/ScanPorts.js';

const VAULT = 'https://scan.vault.azure.net';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const tenantIdOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const entryOf = (tenantId: string, secretName: string): VaultIndexEntry => ({
  tenantId,
  vaultUrl: VAULT,
  secretName,
  enabled: true,
  expiresOn: '2027-01-01T00:00:00.000Z',
  copyOf: { appId: `app-${secretName}`, keyId: `key-${secretName}` },
  usedBy: [],
});

/** The tenants' lists' queries from now on (their filters), and a gate that holds each one back until `open`. */
function watchQueries(client: TableClient) {
  const filters: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => undefined as void;
  client.pipeline.addPolicy({
    name: 'indexQueries',
    async sendRequest(request, next) {
      const filter = new URL(request.url).searchParams.get('$filter') ?? '';
      if (request.method === 'GET' && filter.startsWith('PartitionKey')) {
        filters.push(filter);
        await gate;
      }
      return next(request);
    },
  });
  return {
    filters,
    hold: () => void (gate = new Promise((resolve) => (open = resolve))),
    open: () => open(),
  };
}

async function indexIn(name: string) {
  const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, name);
  const index = createVaultIndexTable(client);
  // Seven tenants, each with its own secrets (tenant n has n of them); the table exists from here on.
  const entries = Array.from({ length: 7 }, (_, n) => Array.from({ length: n + 1 }, (_, i) => entryOf(tenantIdOf(n), `s${n}-${i}`))).flat();
  await index.replaceVault(VAULT, entries);
  return { client, index, queries: watchQueries(client) };
}

const namesIn = (entries: VaultIndexEntry[]) => entries.map((e) => e.secretName).sort();

describe('the vault index in Table Storage', () => {
  it("lists the tenants asked for while another tenant's list is read together, in one query, each its own secrets", async () => {
    const { index, queries } = await indexIn('IndexTogether');

    const lists = await Promise.all([0, 1, 2, 3, 4].map((n) => index.list(tenantIdOf(n))));

    // The first goes at once; the four asked while it was read go together.
    expect(queries.filters).toHaveLength(2);
    expect(lists.map(namesIn)).toEqual([0, 1, 2, 3, 4].map((n) => Array.from({ length: n + 1 }, (_, i) => `s${n}-${i}`)));
    expect(lists.flat().every((e, _, all) => all.filter((o) => o.secretName === e.secretName).length === 1)).toBe(true);
    expect(lists[3]![0]).toMatchObject({ tenantId: tenantIdOf(3), copyOf: { appId: 'app-s3-0', keyId: 'key-s3-0' }, usedBy: [] });
  });

  it('gives a list asked for after the index changed the index as changed, never the answer of a query sent before', async () => {
    const { index, queries } = await indexIn('IndexFresh');
    queries.hold();
    const first = index.list(tenantIdOf(0));
    // While the first query is held, tenant 5's secrets change; its list is asked for once they have.
    await index.replaceVault(VAULT, [entryOf(tenantIdOf(0), 's0-0'), entryOf(tenantIdOf(5), 'renamed')]);
    const after = index.list(tenantIdOf(5));
    queries.open();

    expect(namesIn(await after)).toEqual(['renamed']);
    expect(namesIn(await first)).toEqual(['s0-0']);
  });

  it('asks for at most 15 tenants in one query, the most comparisons a Table Storage filter holds', async () => {
    const { index, queries } = await indexIn('IndexMany');
    const tenants = Array.from({ length: 40 }, (_, n) => tenantIdOf(n));

    const lists = await Promise.all(tenants.map((t) => index.list(t)));

    expect(Math.max(...queries.filters.map((f) => f.split(' or ').length))).toBe(15);
    expect(queries.filters.length).toBeLessThan(10);
    expect(lists.map((l) => l.length)).toEqual(tenants.map((_, n) => (n < 7 ? n + 1 : 0)));
  });
});
