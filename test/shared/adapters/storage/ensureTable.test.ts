import { describe, expect, it } from 'vitest';
import { transactionsOf } from '../../../../shared/adapters/storage/ensureTable.js';

describe('transactionsOf', () => {
  it('groups rows by partition, in first-seen order, and splits a group into transactions of at most 100', () => {
    const rows = [
      ...Array.from({ length: 150 }, (_, i) => ({ partition: 'a', row: i })),
      { partition: 'b', row: 0 },
      { partition: 'a', row: 150 },
    ];
    const transactions = transactionsOf(rows, (r) => r.partition);
    expect(transactions.map((t) => [t[0]!.partition, t.length])).toEqual([
      ['a', 100],
      ['a', 51],
      ['b', 1],
    ]);
    expect(transactions[1]!.at(-1)).toEqual({ partition: 'a', row: 150 });
  });
});
