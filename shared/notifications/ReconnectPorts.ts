import type { DateTime } from 'luxon';
import type { VigilEvent } from '../events/vigilEvent.js';

/**
 * What a sent alert offers to reconnect a token connection, decided when the message is rendered
 * (docs/notifications.md "Reconnect links"): a fresh single-use sign-in link; no link, with why (the app
 * lacks Vigil's redirect URI, the connection names no owner); or no link *now* because minting failed,
 * so the alert points at the status page's Reconnect button instead and says so.
 */
export type ReconnectOffer =
  | { kind: 'link'; url: string; expiresAt: string; note?: string }
  | { kind: 'none'; reason: string }
  | { kind: 'unavailable'; reason: string };

/**
 * Mints the reconnect link of one alert at `now`, or says why there is none. Undefined: a sign-in does
 * not fix this event. Never called for webhooks or PagerDuty: they never carry a sign-in link.
 */
export type ReconnectLinks = (event: VigilEvent, now: DateTime) => Promise<ReconnectOffer | undefined>;
