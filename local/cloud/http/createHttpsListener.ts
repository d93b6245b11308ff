import type { AddressInfo } from 'node:net';
import { createServer } from 'node:https';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { LocalCertificates } from '../tls/ensureCertificates.js';

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
