import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { statusOf } from '../azure/isTransientStatus.js';

/** One row (only the `select`ed columns, when given), or undefined when there is none; any other failure propagates. */
export async function readEntity<T extends object>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
  select?: readonly (keyof T & string)[],
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey, select ? { queryOptions: { select: [...select] } } : {});
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Runs a write conditional on a row's ETag (or on there being no row): false when another writer got
 * there first (409 exists, 412 changed, 404 gone); any other failure propagates.
 */
export async function writeIfUnchanged(write: () => Promise<unknown>): Promise<boolean> {
  return (await ifUnchanged(write)) !== undefined;
}

/** writeIfUnchanged that answers the row's new ETag (etagOf), to write on from. */
export async function etagIfUnchanged(write: () => Promise<{ etag?: string }>): Promise<string | false> {
  const written = await ifUnchanged(write);
  return written ? etagOf(written.answer) : false;
}

/**
 * The ETag of a row a write answered (Table Storage answers each insert, update and merge with one, in a transaction
 * too): an answer without one fails the write's caller, instead of its next write being conditional on nothing.
 */
export function etagOf(answer: { etag?: string } | undefined): string {
  if (!answer?.etag) throw new Error('no ETag in the response to a table write');
  return answer.etag;
}

async function ifUnchanged<T>(write: () => Promise<T>): Promise<{ answer: T } | undefined> {
  try {
    return { answer: await write() };
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 412 || status === 404) return undefined;
    throw error;
  }
}

/** For `.catch`: a row (or a transaction's row) already gone is what the delete or update wanted; anything else propagates. */
export function ignoreGone(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}
