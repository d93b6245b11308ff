import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectTelemetry } from '../../../../local/devhost/collectTelemetry.js';
import { createNodeSender, isExchangeFailure } from '../../../../shared/adapters/http/sendOverNode.js';
import { createOpenTelemetry } from '../../../../shared/adapters/telemetry/createOpenTelemetry.js';

const TRACE_ID = '5bf92f3577b34da6a3ce929d0e0e4736';
const collected = collectTelemetry();
const telemetry = createOpenTelemetry(collected.exporters);
const send = createNodeSender('Microsoft.Test', 'vigil-test');
let respond: RequestListener = (_req, res) => res.end('{}');
const seen: IncomingHttpHeaders[] = [];
const host = createServer((req, res) => {
  seen.push(req.headers);
  respond(req, res);
});
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/tenant/path?code=secret`;
});
afterAll(async () => {
  host.closeAllConnections();
  host.close();
  await telemetry.shutdown();
});

describe("Vigil's requests over node:http(s)", () => {
  it('is a dependency of the invocation with its status and no path or query of an unknown host, and sends the trace on', async () => {
    respond = (_req, res) => res.writeHead(429).end('{}');
    const answer = await telemetry.run(`00-${TRACE_ID}-00f067aa0ba902b7-01`, () =>
      send(url, { method: 'POST', headers: {}, body: 'a=1', deadlineMs: 5_000 }),
    );

    expect([answer.message.statusCode, answer.body.toString()]).toEqual([429, '{}']);
    expect(seen.at(-1)?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(collected.dependencies()).toContainEqual({ name: 'HTTP POST', url: `${new URL(url).origin}/`, status: 429, traceId: TRACE_ID });
  });

  it('fails with an AbortError at the deadline, even when the answer had begun', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-length': '100' }).write('{"access_token":');
    const started = performance.now();
    const failure = await send(url, { method: 'POST', headers: {}, deadlineMs: 200 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'AbortError' });
    expect(isExchangeFailure(failure)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('fails an answer whose connection closed before it was whole, never waits for it', async () => {
    respond = (req, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('{"value":');
      // Closed cleanly (a FIN, not a reset), short of the length it announced.
      setTimeout(() => req.socket.end(), 20);
    };
    const failure = await send(url, { method: 'GET', headers: {}, deadlineMs: 60_000 }).catch((error: unknown) => error);
    expect(isExchangeFailure(failure)).toBe(true);
    // Node reports it on the answer as ECONNRESET ('aborted'); a close that comes without an error is the sender's own, with no code.
    const { code, message } = failure as { code?: unknown; message?: unknown };
    expect(code ?? message).toMatch(/^(ECONNRESET|the connection closed before the whole answer arrived)$/);
  });

  it('rejects a request that cannot be made with its own error, and leaves no deadline behind to fire', async () => {
    const failure = await send('not a url', { method: 'GET', headers: {}, deadlineMs: 20 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_INVALID_URL' });
    expect(isExchangeFailure(failure)).toBe(false);
    // A deadline set before the request was made fired here and threw from its timer (the request it would end did not exist).
    const uncaught: unknown[] = [];
    const record = (error: unknown) => void uncaught.push(error);
    process.on('uncaughtException', record);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off('uncaughtException', record);
    expect(uncaught).toEqual([]);
  });
});
