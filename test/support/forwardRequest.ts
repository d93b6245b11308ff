import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The forwarding both test proxies in front of Azurite share (the storage fault proxy and the replay's
 * queue clock): a request passes upstream unchanged, method, path, headers and body, so its Shared Key
 * signature still holds; a failed upstream connection resets the client's.
 */
export function forwardRequest(
  upstream: URL,
  agent: http.Agent,
  req: http.IncomingMessage,
  body: Buffer,
  onAnswer: (answer: http.IncomingMessage) => void,
): void {
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
    onAnswer,
  );
  out.on('error', () => req.socket.destroy());
  out.end(body);
}

/** Collects a request's body, then hands it on. */
export function withBody(handle: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  };
}

export async function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export const portOf = (server: http.Server): number => (server.address() as AddressInfo).port;

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
