import type { TokenCredential } from '@azure/identity';
import {
  Client,
  HTTPMessageHandler,
  MiddlewareFactory,
  RetryHandlerOptions,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';
import { NodeHttpMessageHandler } from './NodeHttpMessageHandler.js';

/**
 * A Graph client for one cloud. The token's scope is the cloud's Graph resource even when the base URL
 * points elsewhere (the local cloud), and a non-Microsoft host must be listed in `customHosts` or the
 * client silently drops the Authorization header. The credential is asked on every request: pass one that
 * keeps its token (withSharedToken). The client's own chain (authentication, retries, redirects, telemetry)
 * sends over node:https rather than fetch (NodeHttpMessageHandler).
 */
export function createGraphClient(credential: TokenCredential, endpoints: CloudEndpoints): Client {
  const base = new URL(endpoints.graph);
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(tokenProvider(credential, `${endpoints.graphResource}/.default`));
  return Client.initWithMiddleware({
    middleware: chain.map((handler) => (handler instanceof HTTPMessageHandler ? new NodeHttpMessageHandler() : handler)),
    baseUrl: `${base.origin}/`,
    customHosts: new Set([base.hostname]),
  });
}

/**
 * Per request (`.middlewareOptions([noClientRetries])`), switches off the Graph client's RetryHandler, which
 * otherwise sends a request again after a 429, 503 or 504 answer, up to 3 times, sleeping in-process, a POST
 * with a JSON body too: for a caller that retries on its own terms (the pager) or whose request must not be
 * sent twice (addPassword, whose 504 may come after Graph added the secret).
 */
export const noClientRetries = new RetryHandlerOptions(0, 0);

/**
 * The Graph client's authentication from a credential, for every Graph client Vigil makes. The client's
 * own TokenCredentialAuthenticationProvider builds an Error (and its stack) on every request in case the
 * token is missing; this one only when it is.
 */
export function tokenProvider(credential: TokenCredential, scope: string): AuthenticationProvider {
  return {
    async getAccessToken() {
      const token = await credential.getToken(scope);
      if (!token) throw new Error(`the credential returned no access token for ${scope}`);
      return token.token;
    },
  };
}
