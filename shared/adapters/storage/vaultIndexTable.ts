import type { TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { VaultIndexEntry, VaultIndexReader } from '../../scanner/ScanPorts.js';
import { batched } from '../../helpers/batched.js';
import { ensureTable, odataString, transactionsOf } from './ensureTable.js';
import { listPartitions } from './listPartitions.js';
import { parseStored } from './parseStored.js';

const usedBySchema = z.array(z.object({ name: z.string(), clientId: z.string(), downstream: z.string().nullable() }));

const toRowKey = (e: Pick<VaultIndexEntry, 'vaultUrl' | 'secretName'>) =>
  Buffer.from(`${e.vaultUrl}|${e.secretName}`, 'utf8').toString('base64url');

interface IndexRow {
  vaultUrl: string;
  secretName: string;
  enabled: boolean;
  expiresOn: string;
  appId: string;
  keyId: string;
  /** JSON of the token connections that sign in with this secret; absent in rows indexed before connections were. */
  usedBy?: string;
}

export interface VaultIndexTable extends VaultIndexReader {
  /** Makes the index of one vault equal to `entries` (a vault that could not be read is simply not replaced). */
  replaceVault(vaultUrl: string, entries: readonly VaultIndexEntry[]): Promise<void>;
}

/**
 * The watched vaults' secrets (names, tags, expiry; never values), a partition per tenant they concern.
 * Tenants whose lists are asked for while another list is read are listed together, by one query of their
 * partitions (`batched`, `listPartitions`): the host hands a worker 16 tenants at once, whose scans each read
 * their list beside their first requests. Each is read by a query sent after it was asked for, so no scan is
 * given an older index than its own read would have; a query that fails fails the scans that share it. Table
 * Storage may answer such a query a partition at a time (listPartitions): a scan waits for its list beside its
 * claim and Graph's first answers, not before them, and the index is small (the watched vaults' secrets).
 */
export function createVaultIndexTable(table: TableClient): VaultIndexTable {
  const ready = ensureTable(table);
  const listTogether = async (tenantIds: readonly string[]): Promise<VaultIndexEntry[][]> => {
    await ready();
    const found = await listPartitions<IndexRow>(table, tenantIds);
    return tenantIds.map((t) => found.get(t)!.map(toEntry));
  };
  const list = batched(listTogether);
  return {
    list,
    async replaceVault(vaultUrl, entries) {
      await ready();
      const keep = new Set(entries.map((e) => `${e.tenantId}/${toRowKey(e)}`));
      const actions: TransactionAction[] = [];
      for await (const row of table.listEntities<IndexRow>({ queryOptions: { filter: `vaultUrl eq ${odataString(vaultUrl)}` } })) {
        if (!keep.has(`${row.partitionKey!}/${row.rowKey!}`))
          actions.push(['delete', { partitionKey: row.partitionKey!, rowKey: row.rowKey! }]);
      }
      for (const e of entries) {
        const row: IndexRow = {
          vaultUrl,
          secretName: e.secretName,
          enabled: e.enabled,
          expiresOn: e.expiresOn ?? '',
          appId: e.copyOf?.appId ?? '',
          keyId: e.copyOf?.keyId ?? '',
          usedBy: JSON.stringify(e.usedBy),
        };
        actions.push(['upsert', { partitionKey: e.tenantId, rowKey: toRowKey(e), ...row }, 'Replace']);
      }
      for (const chunk of transactionsOf(actions, ([, entity]) => entity.partitionKey)) await table.submitTransaction(chunk);
    },
  };
}

const toEntry = (row: TableEntityResult<IndexRow>): VaultIndexEntry => ({
  tenantId: row.partitionKey!,
  vaultUrl: row.vaultUrl,
  secretName: row.secretName,
  enabled: row.enabled,
  expiresOn: row.expiresOn || null,
  copyOf: row.appId && row.keyId ? { appId: row.appId, keyId: row.keyId } : null,
  usedBy: parseStored(usedBySchema, row.usedBy) ?? [],
});
