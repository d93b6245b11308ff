import type { TableClient, TableEntityResult } from '@azure/data-tables';

export const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;

/** Runs an ETag-conditional write; false when another writer got there first (or the row is gone). */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 412 || status === 404) return false;
    throw error;
  }
}

/** One row, or undefined when there is none. */
export async function getRow<T extends object>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
