import type { TableClient, TransactionAction } from '@azure/data-tables';
import { transactionsOf } from './ensureTable.js';

/**
 * The bytes of operations one transaction's body holds at most: Table Storage refuses a transaction whose
 * total payload is over 4 MiB (learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions),
 * less 16 KiB for the batch's own envelope (its boundaries and the change set's headers).
 */
export const TRANSACTION_BYTES = 4 * 1024 * 1024 - 16 * 1024;

/**
 * Operations (entities to write, rows to delete) grouped by partition, each group in the transactions that hold
 * it: runs of at most TRANSACTION_ROWS and TRANSACTION_BYTES (actionBytes), in order. A lone operation over
 * the bytes still gets a transaction of its own, for Table Storage to refuse by name.
 */
export const actionTransactions = (actions: readonly TransactionAction[]): TransactionAction[][] =>
  transactionsOf(actions, ([, entity]) => entity.partitionKey).flatMap(withinBytes);

/**
 * Writes operations in the transactions that hold them (actionTransactions), one after another; a transaction
 * of one upsert or delete goes as a plain request instead, which costs less.
 */
export async function submitActions(table: TableClient, actions: readonly TransactionAction[]): Promise<void> {
  for (const transaction of actionTransactions(actions)) {
    const [only, ...more] = transaction;
    if (!only || more.length > 0 || (only[0] !== 'upsert' && only[0] !== 'delete')) await table.submitTransaction(transaction);
    else if (only[0] === 'delete') await table.deleteEntity(only[1].partitionKey, only[1].rowKey);
    else await table.upsertEntity(only[1], only[2] ?? 'Merge');
  }
}

/** A run split where its bytes would pass TRANSACTION_BYTES; a run whose upper bound fits is measured no further. */
function withinBytes(run: TransactionAction[]): TransactionAction[][] {
  if (run.reduce((sum, action) => sum + actionBytes(action, false), 0) <= TRANSACTION_BYTES) return [run];
  const parts: TransactionAction[][] = [];
  let part: TransactionAction[] = [];
  let bytes = 0;
  for (const action of run) {
    const size = actionBytes(action, true);
    if (part.length > 0 && bytes + size > TRANSACTION_BYTES) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(action);
    bytes += size;
  }
  parts.push(part);
  return parts;
}

/** One operation's headers and request line in a change set, before its keys and its entity's JSON. */
const OPERATION_BYTES = 1024;

/**
 * An operation's bytes in a transaction's body: its headers, its keys in the request line (percent-encoded, up
 * to 9 bytes a UTF-16 unit) and its entity's JSON with the SDK's type annotations (64 bytes a property), at
 * most. `exact` false counts a string's JSON as 6 bytes a UTF-16 unit (`\u0000`), more than it can be, at no
 * cost, to see whether a run fits as it is; `exact` true measures it.
 */
export function actionBytes([, entity]: TransactionAction, exact: boolean): number {
  let bytes = OPERATION_BYTES + 9 * (entity.partitionKey.length + entity.rowKey.length);
  for (const [name, value] of Object.entries(entity)) bytes += 6 * name.length + 64 + valueBytes(value, exact);
  return bytes;
}

function valueBytes(value: unknown, exact: boolean): number {
  if (typeof value === 'string') return exact ? Buffer.byteLength(JSON.stringify(value)) : 6 * value.length + 2;
  if (value instanceof Uint8Array) return Math.ceil(value.byteLength / 3) * 4 + 2;
  if (value === null || value === undefined || typeof value !== 'object') return 32;
  if (value instanceof Date) return 32;
  return Buffer.byteLength(JSON.stringify(value));
}
