import type { TableClient } from '@azure/data-tables';
import { chunksOf } from '../../helpers/chunksOf.js';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';

/**
 * Creates the table on first use (createTable ignores "already exists"), once per client. A create that
 * failed (storage down at first use) is tried again on the next use, never remembered as failed.
 */
export function ensureTable(table: TableClient): () => Promise<void> {
  return onceSucceeded(() => table.createTable());
}

/** Table Storage transactions hold at most 100 operations, all in one partition: `items` in runs that fit. */
export const chunks = <T>(items: readonly T[], size = 100): T[][] => chunksOf(items, size);

/** `items` grouped by their partition, each group in runs that one transaction holds (`chunks`). */
export function transactionsOf<T>(items: Iterable<T>, partitionOf: (item: T) => string): T[][] {
  const byPartition = new Map<string, T[]>();
  for (const item of items) {
    const partition = partitionOf(item);
    const group = byPartition.get(partition);
    if (group) group.push(item);
    else byPartition.set(partition, [item]);
  }
  return [...byPartition.values()].flatMap((group) => chunks(group));
}

export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
