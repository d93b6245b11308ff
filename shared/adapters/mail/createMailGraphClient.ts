import type { TokenCredential } from '@azure/identity';
import { AuthenticationHandler, Client, HTTPMessageHandler, TelemetryHandler } from '@microsoft/microsoft-graph-client';
import type { CloudEndpoints } from '../../cloud/cloudEndpoints.js';
import { tokenProvider } from '../graph/createGraphClient.js';

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
  telemetry.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${base.origin}/`, customHosts: new Set([base.hostname]) });
}
