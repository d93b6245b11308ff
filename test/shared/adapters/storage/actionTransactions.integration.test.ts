import type { TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { actionBytes } from '../../../../shared/adapters/storage/actionTransactions.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

/** A row dense in properties rather than text (250, near Table Storage's 252): dates, numbers, booleans and short strings. */
const denseRow = (i: number): TransactionAction => [
  'upsert',
  {
    partitionKey: 'tenant|7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f',
    rowKey: `finding|${String(i).padStart(6, '0')}|k0000000-0000-4000-8000-000000000001`,
    ...Object.fromEntries(
      Array.from({ length: 250 }, (_, p) => {
        const kind = p % 5;
        const value =
          kind === 0
            ? new Date(Date.UTC(2026, 10, 23, 6, 0, p))
            : kind === 1
              ? p * 1_000_003
              : kind === 2
                ? p + 0.25
                : kind === 3
                  ? p % 2 === 0
                  : `v${p}`;
        return [`credentialProperty${String(p).padStart(3, '0')}`, value];
      }),
    ),
  },
  'Replace',
];

describe('actionBytes against the body the SDK sends', () => {
  it("counts a property-dense row at no less than its operation's share of a real transaction's body", async () => {
    const table = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'DenseRows');
    await table.createTable();
    const bodies: number[] = [];
    table.pipeline.addPolicy({
      name: 'batchBodies',
      sendRequest: (request, next) => {
        if (typeof request.body === 'string' && request.url.endsWith('$batch')) bodies.push(Buffer.byteLength(request.body));
        return next(request);
      },
    });
    const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => denseRow(from + i));

    await table.submitTransaction(rows(0, 1));
    await table.submitTransaction(rows(1, 51));

    expect(bodies).toHaveLength(2);
    // The envelope is the same in both: what the second adds over the first is 50 operations of the same shape.
    const perOperation = (bodies[1]! - bodies[0]!) / 50;
    const counted = actionBytes(denseRow(0), true);
    expect(perOperation).toBeLessThanOrEqual(counted);
    // An upper bound, and a loose one for such rows (11.8 kB sent, 57.7 kB counted): 1 kB an operation and 64 bytes
    // and 6 a name's character a property allow for any account's URL and any type annotation. Looser still would
    // split transactions that fit.
    expect(perOperation).toBeGreaterThan(counted / 6);
  });
});
