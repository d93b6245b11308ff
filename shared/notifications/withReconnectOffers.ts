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
  const reconnect = await offersFor(message.items, links, now);
  return reconnect.size > 0 ? { ...render, reconnect } : render;
}

/**
 * A card or Slack message (`toMessage` renders it and says which items it shows), rendered with reconnect
 * offers for the items it has room for, so that no link is minted for an item summed up as "and N more".
 * A link only adds to an item, so more links can only push items out of view, never bring one in: links
 * are minted for the next items in view, a few at a time, until every item in view has its offer; the last
 * rendering is the message. At most the last few minted (fewer than `parallelOffers`) can end up out of view.
 */
export async function renderWithReconnectOffers<T extends { shownFindings: readonly string[] }>(
  message: OutboxMessage,
  render: RenderOptions,
  links: ReconnectLinks | undefined,
  now: DateTime,
  toMessage: (options: RenderOptions) => T,
): Promise<T> {
  const reconnect = new Map<string, ReconnectOffer>();
  const tried = new Set<string>();
  for (;;) {
    const rendered = toMessage(reconnect.size > 0 ? { ...render, reconnect } : render);
    // Only channels a person reads carry sign-in links: never a webhook's or PagerDuty's payload.
    if (!links || !linkChannels.has(message.channel.kind)) return rendered;
    const next = rendered.shownFindings.filter((id) => !tried.has(id)).slice(0, parallelOffers);
    if (next.length === 0) return rendered;
    for (const id of next) tried.add(id);
    const minted = await offersFor(
      message.items.filter((i) => next.includes(i.findingId)),
      links,
      now,
    );
    for (const [id, offer] of minted) reconnect.set(id, offer);
  }
}

async function offersFor(items: readonly NotificationItem[], links: ReconnectLinks, now: DateTime): Promise<Map<string, ReconnectOffer>> {
  const limit = createConcurrencyLimit(parallelOffers);
  const offers = await Promise.all(
    items
      .filter((item) => item.reason !== 'recovered')
      .map((item) => limit(async () => [item.findingId, await offerOf(links, item.event, now)] as const)),
  );
  return new Map(offers.filter((o): o is readonly [string, ReconnectOffer] => o[1] !== undefined));
}

async function offerOf(links: ReconnectLinks, event: NotificationItem['event'], now: DateTime) {
  try {
    return await links(event, now);
  } catch (error) {
    return { kind: 'unavailable', reason: describeError(error) } satisfies ReconnectOffer;
  }
}
