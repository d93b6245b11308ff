import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { chunksOf } from '../../helpers/chunksOf.js';
import { odataString } from './ensureTable.js';

/** The most comparisons Table Storage takes in one `$filter` (Query Entities): partitions one query lists at most. */
const PARTITIONS_A_QUERY = 15;

/**
 * The rows of several partitions, by partition (each asked for has an entry, empty when it holds none), in one
 * query per 15 of them (`PartitionKey eq … or …`), the queries at once. For callers that `batched` their
 * reads: the tenants a worker was handed together ask for their rows at about the same time. Table Storage
 * may answer a query that crosses partitions with part of it and a continuation, even an empty part, each
 * next part a request after the last (the SDK follows them): fewer requests in the local cloud, perhaps not
 * in Azure, and a read off a scan's critical path only.
 * https://learn.microsoft.com/rest/api/storageservices/query-timeout-and-pagination
 */
export async function listPartitions<T extends object>(
  table: TableClient,
  partitionKeys: readonly string[],
): Promise<Map<string, Array<TableEntityResult<T>>>> {
  const found = new Map(partitionKeys.map((p) => [p, [] as Array<TableEntityResult<T>>]));
  await Promise.all(
    chunksOf([...found.keys()], PARTITIONS_A_QUERY).map(async (partitions) => {
      const filter = partitions.map((p) => `PartitionKey eq ${odataString(p)}`).join(' or ');
      for await (const row of table.listEntities<T>({ queryOptions: { filter } })) found.get(row.partitionKey!)?.push(row);
    }),
  );
  return found;
}
