import { DateTime } from 'luxon';
import type { FlushBatch, HeldItem } from './DigestPorts.js';
import { decidedAtOf } from './NotificationItem.js';
import type { OutboxMessage } from './OutboxMessage.js';
import { planOutboxMessages } from './planOutboxMessages.js';
import type { RoutesConfig } from './routesConfig.js';

/** A flush batch's outbox messages, under its generation's ids (messageIdsOf) in a fixed order. */
export function messagesOfBatch(
  batch: Pick<FlushBatch, 'id' | 'createdAt' | 'generation'>,
  items: readonly HeldItem[],
  config: RoutesConfig,
): OutboxMessage[] {
  const byRoute = new Map<string, HeldItem[]>();
  for (const held of [...items].sort((a, b) => a.ref.localeCompare(b.ref))) {
    const list = byRoute.get(held.route) ?? [];
    list.push(held);
    byRoute.set(held.route, list);
  }
  // By event time, then, at one time, a decision after the one it was made on top of. A decision made on top of
  // another with an earlier time (a producer whose clock lags) still goes first: nothing but the time orders those.
  const below = decisionsBelow(items);
  for (const list of byRoute.values()) list.sort((a, b) => decidedAtOf(a.item).localeCompare(decidedAtOf(b.item)) || below(a) - below(b));
  let n = 0;
  return planOutboxMessages(
    new Map([...byRoute].sort(([a], [b]) => a.localeCompare(b)).map(([route, list]) => [route, list.map((held) => held.item)])),
    config,
    DateTime.fromISO(batch.createdAt, { zone: 'utc' }),
    () => messageIdOf(batch, n++),
  );
}

/**
 * A batch's `n`th message (from 0) in its generation: `${batch}.${n}` in generation 0 (the ids of versions before
 * generations), `${batch}.${generation}.${n}` in a rebuild's. No two generations share an id, so a rebuild that stalled
 * removing an earlier generation's messages never reaches the messages a later rebuild saved (resumeBatch).
 */
const messageIdOf = ({ id, generation }: Pick<FlushBatch, 'id' | 'generation'>, n: number): string =>
  generation === 0 ? `${id}.${n}` : `${id}.${generation}.${n}`;

/** The ids of the first `count` messages of a batch's generation. */
export const messageIdsOf = (batch: Pick<FlushBatch, 'id' | 'generation'>, count: number): string[] =>
  Array.from({ length: count }, (_, n) => messageIdOf(batch, n));

/**
 * How many decisions among the items an item's decision was made on top of, one on another: a route state names
 * the first item of the decision it was made on (`overtook`), so of two decisions on one finding and route the newer
 * is known whatever their times and ids. Decisions on other findings are not related by it, and a chain stops at a
 * decision not among the items (a channel's failure report names none it was made on). Each decision's count is
 * worked out once, before sorting.
 */
function decisionsBelow(items: readonly HeldItem[]): (held: HeldItem) => number {
  const firstOf = (held: HeldItem) => held.change.next.items[0] ?? held.ref;
  const under = new Map(items.map((held) => [firstOf(held), held.change.next.overtook]));
  const counts = new Map<string, number>();
  for (const start of under.keys()) {
    // Down the chain to a decision already counted or one not among the items, then count back up it.
    const chain: string[] = [];
    const onChain = new Set<string>();
    let at: string | undefined = start;
    // Refs are unique, so a chain never loops; a damaged row's loop is cut where it closes, never hanging a flush.
    while (at !== undefined && under.has(at) && !counts.has(at) && !onChain.has(at)) {
      chain.push(at);
      onChain.add(at);
      at = under.get(at);
    }
    const known = at === undefined ? undefined : counts.get(at);
    let count = known === undefined ? 0 : known + 1;
    for (const decision of chain.reverse()) counts.set(decision, count++);
  }
  return (held) => counts.get(firstOf(held)) ?? 0;
}
