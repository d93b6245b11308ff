import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveHttpFunctions } from '../../../local/devhost/serveHttpFunctions.js';

/** What connecting to a loopback port meets: 'accepted', or the error's code (ECONNREFUSED: nothing listens). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the dev host serving HTTP functions', () => {
  it('closes its server and rethrows when the runtime cannot be made for the origin it listens on', async () => {
    let served: string | undefined;
    const served$ = serveHttpFunctions(
      [],
      (origin) => {
        served = origin;
        throw new Error('VIGIL_TENANT_ID: required');
      },
      () => undefined,
      0,
    );
    await expect(served$).rejects.toThrow('VIGIL_TENANT_ID: required');
    expect(served).toMatch(/^http:\/\/localhost:\d+$/);
    // Nothing is left listening on the port: a dev host that failed to start neither holds it nor keeps the process alive.
    expect(await tryConnect(Number(new URL(served!).port))).toBe('ECONNREFUSED');
  });
});
