import type { ReconnectLinks } from '../notifications/ReconnectPorts.js';
import { toCallbackUrl } from './mintSignInLink.js';
import { offerSignInLink } from './offerSignInLink.js';
import type { LinkRequestDeps } from './requestConnection.js';
import { reconnectTargetOf } from './addReconnectFix.js';

/**
 * The notification channels' reconnect links: a link of purpose `alert`, minted at the moment a mail,
 * card or Slack message is sent, after the checks the API makes (the connection's current tags and owner,
 * the app's redirect URI). Key Vault unavailable is "no link right now", not "no link possible".
 */
export function toReconnectLinks(deps: LinkRequestDeps): ReconnectLinks {
  return async (event, now) => {
    const target = reconnectTargetOf(event);
    if (!target) return undefined;
    const offer = await offerSignInLink(deps, target.ref, 'alert', now);
    if (offer.kind === 'link') {
      const check = offer.redirectUriCheck;
      const note =
        check.kind === 'unchecked'
          ? `Vigil could not check that the app lists its redirect URI ${toCallbackUrl(deps.settings.baseUrl)}: ${check.reason}.`
          : undefined;
      return { kind: 'link', url: offer.url, expiresAt: offer.expiresAt, ...(note ? { note } : {}) };
    }
    return offer.code === 'vaultUnavailable' ? { kind: 'unavailable', reason: offer.reason } : { kind: 'none', reason: offer.reason };
  };
}
