import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:https';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { LocalCertificates } from '../tls/ensureCertificates.js';
import { emptyBodyMarker } from './emptyAnswer.js';

export type CloudApp = Hono<{ Bindings: HttpBindings }>;

export interface Listener {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves one emulated host over HTTPS on loopback; port 0 picks a free port. */
export async function createHttpsListener(app: CloudApp, certificates: LocalCertificates, port: number): Promise<Listener> {
  const server = createAdaptorServer({
    fetch: app.fetch,
    createServer,
    serverOptions: { key: certificates.keyPem, cert: certificates.certPem },
  });
  // Runs before the adapter's own request listener, so its writeHead is the one wrapped.
  server.prependListener('request', (_request, response: ServerResponse) => withoutDefaultContentType(response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets held by SDK agents would otherwise keep the server open.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * `@hono/node-server` gives every answer a `content-type` (text/plain when the app set none). Azure's
 * empty answers (Graph's 202 for sendMail and 204 for removePassword, Key Vault's 204 purge, a Teams
 * Workflow's 202) carry none, and a client may decide on that header, so it is taken off answers built
 * with `emptyAnswer`.
 */
function withoutDefaultContentType(response: ServerResponse): void {
  const writeHead = response.writeHead.bind(response) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  response.writeHead = ((status: number, headers?: OutgoingHttpHeaders) => {
    if (headers?.[emptyBodyMarker] !== undefined) {
      const { [emptyBodyMarker]: _marker, 'content-type': _type, ...kept } = headers;
      return writeHead(status, kept);
    }
    return writeHead(status, headers);
  }) as ServerResponse['writeHead'];
}
