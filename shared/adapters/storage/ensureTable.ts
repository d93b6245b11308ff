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

/** The operations one Table Storage transaction holds at most (all in one partition). */
export const TRANSACTION_ROWS = 100;

/** `items` in runs of at most `size` (one transaction's rows), by count alone: rows named by their keys (deletes, small merges), or not yet made into operations. */
export const chunks = <T>(items: readonly T[], size = TRANSACTION_ROWS): T[][] => chunksOf(items, size);

/** `items` grouped by their partition, each group in runs that one transaction holds (`chunks`). */
export function transactionsOf<T>(items: Iterable<T>, partitionOf: (item: T) => string): T[][] {
  return [...groupsOf(items, partitionOf).values()].flatMap((group) => chunks(group));
}

/** `items` grouped by `keyOf`, in the order each key first came, each group in the items' order. */
export function groupsOf<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
