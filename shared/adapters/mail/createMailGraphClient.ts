import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, HTTPMessageHandler, TelemetryHandler, type Context } from '@microsoft/microsoft-graph-client';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';
import { tokenProvider } from '../graph/createGraphClient.js';
import { GraphUnansweredError } from '../graph/GraphUnansweredError.js';
import { isFetchFailure } from '../http/networkError.js';
import { socketCodeOf } from '../../helpers/socketCodeOf.js';

/**
 * A Graph client for sendMail without the client's RetryHandler. That handler would answer a 429 by
 * sleeping in-process (up to 180 s per try) and retrying unseen; Vigil's outbox does the waiting instead,
 * by re-enqueueing with the Retry-After as visibility delay, so the wait costs no execution time, survives
 * a restart and shows in the delivery log.
 */
export function createMailGraphClient(credential: TokenCredential, endpoints: CloudEndpoints): Client {
  const base = new URL(endpoints.graph);
  const auth = new AuthenticationHandler(tokenProvider(credential, `${endpoints.graphResource}/.default`));
  const telemetry = new TelemetryHandler();
  auth.setNext(telemetry);
  telemetry.setNext(new MailMessageHandler());
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${base.origin}/`, customHosts: new Set([base.hostname]) });
}

/**
 * The Graph client's fetch handler, with a request that got no answer named as Vigil's other Graph requests name one
 * (GraphUnansweredError, with the socket's error code): of fetch's `TypeError: fetch failed` the Graph client keeps
 * only the name and message, not the cause that says why (ECONNREFUSED, ENOTFOUND, a TLS code), and a person
 * reading "TypeError" would take it for a fault in Vigil. Only a failure whose cause has a code is one (socketCodeOf:
 * said as a connection's for a socket's or TLS code, else as the request's): fetch fails as well for a request it will
 * not make (a blocked port, an unknown scheme: no code; undici's UND_ERR_INVALID_ARG, a code for a request Vigil made
 * wrong), which is a fault in Vigil or its settings and stays the TypeError it is.
 */
class MailMessageHandler extends HTTPMessageHandler {
  override async execute(context: Context): Promise<void> {
    try {
      await super.execute(context);
    } catch (error) {
      const socketCode = isFetchFailure(error) ? socketCodeOf(error) : undefined;
      throw socketCode === undefined ? error : new GraphUnansweredError(socketCode);
    }
  }
}
