import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port nothing listens on any more (fetch refuses to try port 1, a "bad port" in the Fetch standard). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
