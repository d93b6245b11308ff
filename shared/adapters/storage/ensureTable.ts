import type { TableClient } from '@azure/data-tables';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';

/**
 * Creates the table on first use (createTable ignores "already exists"), once per client. A create that
 * failed (storage down at first use) is tried again on the next use, never remembered as failed.
 */
export function ensureTable(table: TableClient): () => Promise<void> {
  return onceSucceeded(() => table.createTable());
}

/** Table Storage transactions hold at most 100 operations, all in one partition. */
export function chunks<T>(items: readonly T[], size = 100): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;
