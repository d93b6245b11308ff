import type { EventPublisher } from '../events/EventPublisher.js';
import type { RefreshFailureClass, VigilEvent } from '../events/vigilEvent.js';
import type { ConnectionRef } from '../tokens/Connection.js';
import { readConnectionTags } from '../tokens/connectionTags.js';
import { isSignInName } from './resolveTarget.js';

/** Failures a new sign-in by the owner fixes: revoked or lapsed (90 days), consent missing, MFA or Conditional Access. */
export const SIGN_IN_FIXES: ReadonlySet<RefreshFailureClass> = new Set(['revoked', 'consentWithdrawn', 'interactionRequired']);

/** The connection and owner of an alert a sign-in fixes; undefined for any other event, or a connection nobody can sign in to. */
export function reconnectTargetOf(event: VigilEvent): { ref: ConnectionRef; owner: string } | undefined {
  if (event.type !== 'token.refresh_failed' || !SIGN_IN_FIXES.has(event.data.failureClass)) return undefined;
  const ref = { vaultUrl: event.data.vaultUrl, name: event.data.connection };
  const owner = event.routing.owner;
  if (readConnectionTags(ref, event.routing.tags).kind !== 'connection' || !owner || !isSignInName(owner)) return undefined;
  return { ref, owner };
}

/**
 * Says in an alert's `fix` that its owner can reconnect by signing in, and where the link is. The event
 * itself carries no link: the event log, the outbox and webhooks would keep a live one, and a reminder a
 * week later would repeat an expired one. Each mail, Teams card or Slack message mints a fresh link as it
 * is sent (shared/notifications/withReconnectOffers.ts), or says why there is none (docs/tokens.md).
 */
export function addReconnectFix(events: readonly VigilEvent[]): VigilEvent[] {
  return events.map((event) => {
    const target = reconnectTargetOf(event);
    if (!target) return event;
    return {
      ...event,
      fix: `${target.owner} signs in again to reconnect it: Vigil's mail, Teams and Slack alerts carry a fresh single-use sign-in link, and the Reconnect button on Vigil's status page makes one; Vigil then stores the new token with its tags. Without a sign-in link: ${event.fix}`,
    };
  });
}

/** The token keeper's publisher, with the reconnect fix added on the way to the notification pipeline. */
export function withReconnectFix(inner: EventPublisher): EventPublisher {
  return { publish: async (events) => inner.publish(addReconnectFix(events)) };
}
