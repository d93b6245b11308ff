import { DateTime } from 'luxon';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { RefreshFailureClass, VigilEvent } from '../events/vigilEvent.js';
import { readConnectionTags } from '../tokens/connectionTags.js';
import { checkRedirectUri, describeMissingRedirectUri, type AppRegistrations } from './checkRedirectUri.js';
import { mintSignInLink, toCallbackUrl, type LinkSettings } from './mintSignInLink.js';
import { isSignInName } from './resolveTarget.js';
import type { SignInStore } from './SignInPorts.js';

/** Failures a new sign-in by the owner fixes: revoked or lapsed (90 days), consent missing, MFA or Conditional Access. */
export const SIGN_IN_FIXES: ReadonlySet<RefreshFailureClass> = new Set(['revoked', 'consentWithdrawn', 'interactionRequired']);

export interface ReconnectLinkDeps {
  store: SignInStore;
  settings: LinkSettings;
  apps: AppRegistrations;
}

/**
 * Gives every alert that a new sign-in fixes its own reconnect link (`links.reconnect`), minted when the
 * alert is published so it is valid for the link lifetime from then, and says so in `fix`. The event
 * carries the link itself: it works once, only for the connection's owner, and dies when any sign-in for
 * the connection completes, so the copy in the event log is of no use to anyone after the owner used it
 * (docs/tokens.md "Sign-in links"). A connection whose app lacks Vigil's redirect URI gets no link, and
 * the alert says what to add; a link that cannot be made leaves the alert as it was, never unsent.
 */
export async function addReconnectLinks(deps: ReconnectLinkDeps, events: readonly VigilEvent[]): Promise<VigilEvent[]> {
  return Promise.all(events.map((event) => withLink(deps, event)));
}

async function withLink(deps: ReconnectLinkDeps, event: VigilEvent): Promise<VigilEvent> {
  if (event.type !== 'token.refresh_failed' || !SIGN_IN_FIXES.has(event.data.failureClass)) return event;
  const ref = { vaultUrl: event.data.vaultUrl, name: event.data.connection };
  const reading = readConnectionTags(ref, event.routing.tags);
  const owner = event.routing.owner;
  if (reading.kind !== 'connection' || !owner || !isSignInName(owner)) return event;
  const { tenant, clientId } = reading.connection;
  try {
    const check = await checkRedirectUri(deps.apps, tenant, clientId, toCallbackUrl(deps.settings.baseUrl));
    if (check.kind === 'missing') return { ...event, fix: `${event.fix} ${describeMissingRedirectUri(clientId, check.redirectUri)}` };
    const link = await mintSignInLink(deps, { kind: 'reconnect', ref }, 'alert', DateTime.fromISO(event.time, { zone: 'utc' }));
    const unchecked =
      check.kind === 'unchecked'
        ? ` (Vigil could not check that app ${clientId} lists its redirect URI ${toCallbackUrl(deps.settings.baseUrl)}: ${check.reason}.)`
        : '';
    return {
      ...event,
      links: { ...event.links, reconnect: link.url },
      fix: `${owner} opens the reconnect link and signs in: Vigil stores the new token with its tags. The link works once, until ${link.expiresAt}.${unchecked} Without the link: ${event.fix}`,
    };
  } catch (error) {
    return { ...event, fix: `${event.fix} (Vigil could not make a sign-in link: ${error instanceof Error ? error.name : 'error'}.)` };
  }
}

/** The token keeper's publisher, with reconnect links added on the way to the notification pipeline. */
export function withReconnectLinks(inner: EventPublisher, deps: ReconnectLinkDeps): EventPublisher {
  return { publish: async (events) => inner.publish(await addReconnectLinks(deps, events)) };
}
