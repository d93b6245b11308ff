import type { DateTime } from 'luxon';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import { describeError } from '../helpers/describeError.js';
import type { RenderOptions } from './describeItem.js';
import type { NotificationItem } from './NotificationItem.js';
import type { OutboxMessage } from './OutboxMessage.js';
import type { ReconnectLinks, ReconnectOffer } from './ReconnectPorts.js';

/** Channels a person reads and clicks in; webhooks and PagerDuty keep their payloads free of sign-in links. */
const linkChannels: ReadonlySet<OutboxMessage['channel']['kind']> = new Set(['mail', 'teams', 'slack']);
/** A digest can hold many failing connections; each link is a Key Vault read, a Graph read and a table write. */
const parallelOffers = 4;

/**
 * The render options for one attempt at one message, with a reconnect offer per item that needs one,
 * minted now: a reminder a week after the alert carries a link that works, and no stored event, outbox
 * row or webhook ever holds a live link. A failure to mint never holds the message back: the item says
 * so and points at the status page's Reconnect button.
 */
export async function withReconnectOffers(
  message: OutboxMessage,
  render: RenderOptions,
  links: ReconnectLinks | undefined,
  now: DateTime,
): Promise<RenderOptions> {
  if (!links || !linkChannels.has(message.channel.kind)) return render;
  const limit = createConcurrencyLimit(parallelOffers);
  const offers = await Promise.all(
    message.items
      .filter((item) => item.reason !== 'recovered')
      .map((item) => limit(async () => [item.findingId, await offerOf(links, item.event, now)] as const)),
  );
  const reconnect = new Map(offers.filter((o): o is readonly [string, ReconnectOffer] => o[1] !== undefined));
  return reconnect.size > 0 ? { ...render, reconnect } : render;
}

async function offerOf(links: ReconnectLinks, event: NotificationItem['event'], now: DateTime) {
  try {
    return await links(event, now);
  } catch (error) {
    return { kind: 'unavailable', reason: describeError(error) } satisfies ReconnectOffer;
  }
}
