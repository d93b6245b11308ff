import type { TableClient, TransactionAction } from '@azure/data-tables';
import { findingKey, type Finding } from '../../scanner/Finding.js';
import type { FindingStore } from '../../scanner/ScanPorts.js';
import { findingSchema } from '../../scanner/credentialFactsSchema.js';
import { chunks, ensureTable, odataString } from './ensureTable.js';
import { parseStored } from './parseStored.js';

/** Table keys may not hold `/`, `\`, `#` or `?` (vault secret ids are URLs): keys are base64url of the finding key. */
const toRowKey = (f: Finding): string => Buffer.from(findingKey(f), 'utf8').toString('base64url');

export interface FindingTable extends FindingStore {
  /** Every finding, or one tenant's: what `GET /api/findings` and the summary read. */
  listAll(tenantId?: string): Promise<Finding[]>;
}

/**
 * Findings in Table Storage, a partition per tenant and a row per object and key id. The whole finding
 * is one JSON column (it holds ids, names and dates only); severity and days left are columns too, for
 * people browsing the table.
 */
export function createFindingTable(table: TableClient): FindingTable {
  const ready = ensureTable(table);
  const list = async (filter?: string): Promise<Finding[]> => {
    await ready();
    const findings: Finding[] = [];
    for await (const row of table.listEntities<{ finding: string }>(filter ? { queryOptions: { filter } } : {})) {
      // A finding that does not parse is left out: the next scan judges its credential afresh and writes it again.
      const finding = parseStored(findingSchema, row.finding);
      if (finding) findings.push(finding);
    }
    return findings;
  };
  return {
    list: (tenantId) => list(`PartitionKey eq ${odataString(tenantId)}`),
    listAll: (tenantId) => list(tenantId ? `PartitionKey eq ${odataString(tenantId)}` : undefined),
    async apply(tenantId, change) {
      await ready();
      const actions: TransactionAction[] = [
        ...change.upserts.map((f): TransactionAction => [
          'upsert',
          {
            partitionKey: tenantId,
            rowKey: toRowKey(f),
            severity: f.severity,
            daysLeft: f.daysLeft,
            status: f.status,
            finding: JSON.stringify(f),
          },
          'Replace',
        ]),
        ...change.removals.map((f): TransactionAction => ['delete', { partitionKey: tenantId, rowKey: toRowKey(f) }]),
      ];
      // One partition per tenant, so each chunk of 100 is one atomic transaction.
      for (const chunk of chunks(actions)) await table.submitTransaction(chunk);
    },
  };
}
