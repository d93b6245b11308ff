import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { actionBytes, actionTransactions, TRANSACTION_BYTES } from '../../../../shared/adapters/storage/actionTransactions.js';

describe('actionTransactions', () => {
  const upsert = (partitionKey: string, i: number, text: string): TransactionAction => [
    'upsert',
    { partitionKey, rowKey: `row-${String(i).padStart(3, '0')}`, text, at: new Date(0), count: i },
    'Replace',
  ];

  it("keeps today's rows of a few kB 100 to a transaction", () => {
    const actions = Array.from({ length: 250 }, (_, i) => upsert('p', i, `{"note":"${'x'.repeat(2_500)}"}`));
    expect(actionTransactions(actions).map((t) => t.length)).toEqual([100, 100, 50]);
  });

  it('splits rows too large for 4 MiB together, by partition and in order, each transaction full to the cap', () => {
    // 30,000 characters, half of them quotes a transaction's body escapes: about 46 kB a row as sent, 4.6 MB for 100.
    const text = 'a"'.repeat(15_000);
    const actions = [...Array.from({ length: 100 }, (_, i) => upsert('p', i, text)), upsert('q', 0, text)];
    const bytes = (t: TransactionAction[]) => t.reduce((sum, a) => sum + actionBytes(a, true), 0);

    const transactions = actionTransactions(actions);

    expect(transactions.map((t) => t[0]![1].partitionKey)).toEqual(['p', 'p', 'q']);
    expect(transactions.flat()).toEqual(actions);
    for (const t of transactions) expect(bytes(t)).toBeLessThanOrEqual(TRANSACTION_BYTES);
    // Full: the first would have passed the cap with the second's first row.
    expect(bytes([...transactions[0]!, transactions[1]![0]!])).toBeGreaterThan(TRANSACTION_BYTES);
  });

  it('counts a string at its UTF-8 bytes as JSON, never less', () => {
    const cjk = upsert('p', 0, '名'.repeat(1_000));
    const quotes = upsert('p', 0, '"'.repeat(1_000));
    // Over a row whose string is empty: the fixed overhead alone is about 1,500 bytes.
    const empty = actionBytes(upsert('p', 0, ''), true);
    expect(actionBytes(cjk, true) - empty).toBeGreaterThanOrEqual(3_000);
    expect(actionBytes(quotes, true) - empty).toBeGreaterThanOrEqual(2_000);
    for (const action of [cjk, quotes]) expect(actionBytes(action, false)).toBeGreaterThanOrEqual(actionBytes(action, true));
  });
});
