import type { TableClient, TransactionAction } from '@azure/data-tables';
import { credentialFactsSchema } from '../../scanner/credentialFactsSchema.js';
import { findingKey, type CredentialFacts } from '../../scanner/Finding.js';
import type { UpcomingStore } from '../../scanner/ScanPorts.js';
import { actionTransactions } from './actionTransactions.js';
import { ensureTable, odataString } from './ensureTable.js';
import { parseStored } from './parseStored.js';

const toRowKey = (f: CredentialFacts): string => Buffer.from(findingKey(f), 'utf8').toString('base64url');

/**
 * Credentials that time alone brings onto the ladder before the next full read, a partition per tenant
 * and a row per object and key id (the facts as JSON: ids, names and dates only). A row that does not
 * parse is left out: the next full read writes it again.
 */
export function createUpcomingTable(table: TableClient): UpcomingStore {
  const ready = ensureTable(table);
  return {
    async list(tenantId) {
      await ready();
      const upcoming: CredentialFacts[] = [];
      const filter = `PartitionKey eq ${odataString(tenantId)}`;
      for await (const row of table.listEntities<{ facts: string }>({ queryOptions: { filter } })) {
        const facts = parseStored(credentialFactsSchema, row.facts);
        if (facts) upcoming.push(facts);
      }
      return upcoming;
    },
    async apply(tenantId, change) {
      if (change.upserts.length === 0 && change.removals.length === 0) return;
      await ready();
      const actions: TransactionAction[] = [
        ...change.upserts.map((f): TransactionAction => [
          'upsert',
          { partitionKey: tenantId, rowKey: toRowKey(f), endDateTime: f.endDateTime, facts: JSON.stringify(f) },
          'Replace',
        ]),
        ...change.removals.map((f): TransactionAction => ['delete', { partitionKey: tenantId, rowKey: toRowKey(f) }]),
      ];
      for (const chunk of actionTransactions(actions)) await table.submitTransaction(chunk);
    },
  };
}
