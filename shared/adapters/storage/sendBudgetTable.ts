import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Clock } from '../entra/requestTokenRefresh.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import type { SendBudget } from '../../notifications/OutboxPorts.js';
import { decideSend, type SendLimit } from '../../notifications/sendWindow.js';
import { ensureTable } from './ensureTable.js';
import { parseStored } from './parseStored.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';

const PARTITION = 'mail';
/** Writers that keep changing the row first: past this many tries the budget gives up (and the caller decides). */
const maxTries = 16;

const slotsSchema = z.array(z.object({ id: z.string(), at: z.number(), reserved: z.literal(true).optional() }));

interface BudgetRow {
  slots: string;
}

export interface SendBudgetOptions {
  /** The sender (a mailbox address): one row each. Not a secret. */
  sender: string;
  limit: SendLimit;
  /** Sends of this instance at once (Graph allows 4 sendMail requests at once per mailbox). */
  inFlight: number;
  /** When a send starts, read as it is decided: tests that move the local cloud's clock pass theirs. */
  clock: Clock;
}

/**
 * A sender's send budget in Table Storage: one row per sender holding the sends of the last window and
 * the slots reserved for messages that wait, each change written conditionally on the row's ETag, so
 * every instance keeps to one window. Within an instance the decisions go one at a time (only another
 * instance can change the row between a read and its write) and at most `inFlight` sends run at once.
 * A row that does not parse reads as empty, says so, and is replaced by the next write.
 */
export function createSendBudgetTable(table: TableClient, options: SendBudgetOptions): SendBudget {
  const ready = ensureTable(table);
  const rowKey = Buffer.from(options.sender.toLowerCase(), 'utf8').toString('base64url');
  const oneAtATime = createConcurrencyLimit(1);
  const sending = createConcurrencyLimit(options.inFlight);
  /** Waits for an in-flight place and resolves with the function that frees it. */
  const place = (): Promise<() => void> => new Promise((resolve) => void sending(() => new Promise<void>((done) => resolve(() => done()))));

  const decide = (id: string) =>
    oneAtATime(async () => {
      await ready();
      for (let tries = 1; ; tries++) {
        const row = await readEntity<BudgetRow>(table, PARTITION, rowKey);
        const slots = row && parseStored(slotsSchema, row.slots);
        const decision = decideSend(slots ?? [], id, options.clock(), options.limit);
        const entity = { partitionKey: PARTITION, rowKey, slots: JSON.stringify(decision.slots) };
        const written = await writeIfUnchanged(() =>
          row ? table.updateEntity<BudgetRow>(entity, 'Replace', { etag: row.etag }) : table.createEntity<BudgetRow>(entity),
        );
        if (written) return { decision, damaged: row !== undefined && slots === undefined };
        if (tries >= maxTries) throw new Error(`the send budget of ${options.sender} kept changing under ${maxTries} tries`);
      }
    });

  return {
    async take(id) {
      const release = await place();
      try {
        const { decision, damaged } = await decide(id);
        if (decision.kind === 'wait') {
          release();
          const ms = Math.max(0, decision.at - options.clock());
          return {
            kind: 'wait',
            ms,
            reason: `${options.sender} has sent ${options.limit.max} messages in the last ${options.limit.windowMs / 1000} s`,
          };
        }
        return {
          kind: 'go',
          release,
          ...(damaged ? { warning: `the send budget row of ${options.sender} did not parse; it was started afresh` } : {}),
        };
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}
