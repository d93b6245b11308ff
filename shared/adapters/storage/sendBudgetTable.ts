import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Clock } from '../entra/Clock.js';
import { batched } from '../../helpers/batched.js';
import { createConcurrencyLimit } from '../../helpers/createConcurrencyLimit.js';
import type { SendBudget } from '../../notifications/OutboxPorts.js';
import { decideSend, type SendDecision, type SendLimit, type SendSlot } from '../../notifications/sendWindow.js';
import { ensureTable } from './ensureTable.js';
import { parseStored } from './parseStored.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';

/** Other instances that keep changing the row first: past this many tries the message waits a moment and asks again. */
const maxTries = 8;
const busyWaitMs = 1_000;

const slotsSchema = z.array(z.object({ id: z.string(), at: z.number(), reserved: z.literal(true).optional() }));

interface BudgetRow {
  slots: string;
}

export interface SendBudgetOptions {
  /** Whose limit it is: a mailbox's, or a PagerDuty integration key's. */
  channel: 'mail' | 'pagerduty';
  /** The sender (a mailbox address; for PagerDuty the key's secret name): one row each. Never a secret. */
  sender: string;
  limit: SendLimit;
  /** Sends of this instance at once (Graph allows 4 sendMail requests at once per mailbox). */
  inFlight: number;
  /** When a send starts, read as it is decided: tests that move the local cloud's clock pass theirs. */
  clock: Clock;
}

/**
 * A sender's send budget in Table Storage: one row per sender holding the sends of the last window and
 * the slots kept for messages that wait, each change written conditionally on the row's ETag, so every
 * instance keeps to one window. Within an instance at most `inFlight` sends run at once, and the turns
 * asked for while a write is under way are decided together in the next read and write, so only another
 * instance can change the row between a read and its write. When other instances keep winning the row,
 * the message waits a moment (the store works; it is only busy). A row that does not parse reads as
 * empty, says so, and is replaced by the next write.
 */
export function createSendBudgetTable(table: TableClient, options: SendBudgetOptions): SendBudget {
  const ready = ensureTable(table);
  const rowKey = Buffer.from(options.sender.toLowerCase(), 'utf8').toString('base64url');
  const sending = createConcurrencyLimit(options.inFlight);

  type Decided = { kind: 'decided'; decision: SendDecision; damaged: boolean } | { kind: 'busy' };
  const decideAll = async (ids: readonly string[]): Promise<Decided[]> => {
    await ready();
    for (let tries = 1; tries <= maxTries; tries++) {
      const row = await readEntity<BudgetRow>(table, options.channel, rowKey);
      const stored = row && parseStored(slotsSchema, row.slots);
      const now = options.clock();
      let slots: SendSlot[] = stored ?? [];
      const decisions = ids.map((id) => {
        const decision = decideSend(slots, id, now, options.limit);
        slots = decision.slots;
        return decision;
      });
      const entity = { partitionKey: options.channel, rowKey, slots: JSON.stringify(slots) };
      const written = await writeIfUnchanged(() =>
        row ? table.updateEntity<BudgetRow>(entity, 'Replace', { etag: row.etag }) : table.createEntity<BudgetRow>(entity),
      );
      const damaged = row !== undefined && stored === undefined;
      if (written) return decisions.map((decision) => ({ kind: 'decided', decision, damaged }));
    }
    return ids.map(() => ({ kind: 'busy' }));
  };
  const decide = batched(decideAll);

  return {
    async take(id) {
      const release = await sending.acquire();
      try {
        const decided = await decide(id);
        if (decided.kind === 'busy') {
          release();
          return {
            kind: 'wait',
            ms: busyWaitMs + Math.floor(Math.random() * busyWaitMs),
            reason: `other instances kept changing the send budget of ${options.sender}`,
          };
        }
        const { decision, damaged } = decided;
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
