import type { TokenCredential } from '@azure/identity';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';
import { createServer, globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cloudEndpoints } from '../../../../shared/cloud/cloudEndpoints.js';
import { classifyGraphError } from '../../../../shared/adapters/graph/classifyGraphError.js';
import { createGraphClient } from '../../../../shared/adapters/graph/createGraphClient.js';
import { GRAPH_DEADLINE_MS } from '../../../../shared/adapters/graph/NodeHttpMessageHandler.js';
import { ensureCertificates } from '../../../../local/cloud/tls/ensureCertificates.js';
import { certificatesDir } from '../../../../local/paths.js';

const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const noRetries = new RetryHandlerOptions(0, 0);

/**
 * A Graph stand-in over HTTPS (the client sends its token to https:// hosts only) whose answer each test sets,
 * recording what it was sent; and another host, for redirects. Both use the local cloud's certificate, which
 * the tests trust (withLocalCa).
 */
let respond: RequestListener = (_req, res) => res.end();
const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
const elsewhere: IncomingHttpHeaders[] = [];
const { certPem, keyPem } = await ensureCertificates(certificatesDir);
const tls = { cert: certPem, key: keyPem };
const graphHost = createServer(tls, (req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    respond(req, res);
  });
});
const otherHost = createServer(tls, (req, res) => {
  elsewhere.push(req.headers);
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
});
const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
let graph: ReturnType<typeof createGraphClient>;
let otherPort: number;

beforeAll(async () => {
  const port = await listen(graphHost);
  otherPort = await listen(otherHost);
  graph = createGraphClient(credential, { ...cloudEndpoints.global, graph: `https://localhost:${port}` });
});
afterAll(() => {
  graphHost.close();
  otherHost.close();
});
/** How the scanner classifies a page read that failed; a read that did not fail says so, and fails the test. */
const failedRead = async () => {
  const error: unknown = await graph
    .api('/applications')
    .middlewareOptions([noRetries])
    .get()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return error === undefined ? 'the read succeeded' : classifyGraphError(error);
};

afterEach(() => {
  vi.useRealTimers();
  seen.length = 0;
  elsewhere.length = 0;
  vi.restoreAllMocks();
});

describe('the Graph client sends over node:http(s), not fetch', () => {
  it('reads a compressed page with the token, as fetch did, and never calls fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const page = { value: [{ id: 'a1', displayName: 'Payroll' }], '@odata.nextLink': 'next' };
    respond = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify(page)));
    await expect(graph.api('/applications').middlewareOptions([noRetries]).get()).resolves.toEqual(page);
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer graph-token', 'accept-encoding': 'gzip, deflate, br' });
    expect(seen[0]!.headers['sdkversion']).toMatch(/graph-js/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('does not carry the token to another host a redirect points at', async () => {
    respond = (_req, res) => res.writeHead(302, { location: `https://localhost:${otherPort}/elsewhere` }).end();
    await graph.api('/applications').middlewareOptions([noRetries]).get();
    expect(seen[0]!.headers.authorization).toBe('Bearer graph-token');
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.authorization).toBeUndefined();
  });

  it("hands Graph's throttling, with its Retry-After, to the scanner's retry", async () => {
    respond = (_req, res) =>
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
        .end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
    expect(await failedRead()).toEqual({ kind: 'retry', status: 429, waitMs: 7000 });
  });

  it('tells a connection reset from an answer: retried as a connection error', async () => {
    respond = (req) => req.socket.destroy();
    expect(await failedRead()).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
  });

  /** The Graph host answers the next request as `respond` says, having first reset the connection it came on (once). */
  const resetOnce = (then: RequestListener): RequestListener => {
    let reset = false;
    return (req, res) => {
      if (reset) return then(req, res);
      reset = true;
      req.socket.destroy();
    };
  };
  const warmConnection = async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
    await graph.api('/organization').middlewareOptions([noRetries]).get();
    seen.length = 0;
  };

  it("resends a GET at once, once, when the kept-alive connection it went over was closed before any answer (Node's reusedSocket race)", async () => {
    await warmConnection();
    respond = resetOnce((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"o1"}'));
    await expect(graph.api('/applications/o1').middlewareOptions([noRetries]).get()).resolves.toEqual({ id: 'o1' });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1.0/applications/o1', 'GET /v1.0/applications/o1']);
  });

  it('resends it only once: a second reset fails the request as a connection error', async () => {
    await warmConnection();
    respond = (req) => req.socket.destroy();
    expect(await failedRead()).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
    expect(seen).toHaveLength(2);
  });

  it('never resends a POST (Graph may have taken it before the connection dropped), nor a request on a new connection', async () => {
    await warmConnection();
    respond = resetOnce((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const posted = await graph
      .api('/applications/a1/addPassword')
      .post({ passwordCredential: { displayName: 'vigil' } })
      .catch((error: unknown) => error);
    expect(posted).toMatchObject({ statusCode: -1 });
    expect(seen.map((r) => r.method)).toEqual(['POST']);

    seen.length = 0;
    globalAgent.destroy();
    respond = resetOnce((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    expect(await failedRead()).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
    expect(seen).toHaveLength(1);
  });

  it('fails a page whose connection drops half-way through, retried as a connection error, never left waiting', async () => {
    respond = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"value":[');
      setTimeout(() => req.socket.destroy(), 20);
    };
    expect(await failedRead()).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
  });

  it('fails a page whose answer never ends at the deadline, retried as a connection error, not before', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"value":[');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let verdict: Awaited<ReturnType<typeof failedRead>> | undefined;
    const read = failedRead().then((v) => (verdict = v));
    await vi.waitUntil(() => seen.length === 1, { interval: 5 });
    await vi.advanceTimersByTimeAsync(GRAPH_DEADLINE_MS - 1_000);
    expect(verdict).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await read;
    expect(verdict).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
  });

  it("gives a resend only what is left of the first request's deadline", async () => {
    await warmConnection();
    const held = GRAPH_DEADLINE_MS - 10_000;
    let first = true;
    respond = (req, res) => {
      // The first is held, then its kept-alive connection closed; the resend's answer never ends.
      if (first) return void ((first = false), setTimeout(() => req.socket.destroy(), held));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' }).write('{"value":[');
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let verdict: Awaited<ReturnType<typeof failedRead>> | undefined;
    const read = failedRead().then((v) => (verdict = v));
    await vi.waitUntil(() => seen.length === 1, { interval: 5 });
    await vi.advanceTimersByTimeAsync(held);
    await vi.waitUntil(() => seen.length === 2, { interval: 5 });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(verdict).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitUntil(() => verdict !== undefined, { timeout: 2_000, interval: 5 });
    await read;
    expect(verdict).toEqual({ kind: 'retry', status: -1, waitMs: undefined });
  });

  it('refuses what it cannot send (an abort signal, a Blob body) before sending anything, and never falls back to fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const signalled = await graph
      .api('/applications')
      .option('signal', AbortSignal.timeout(60_000))
      .get()
      .catch((error: unknown) => error);
    const blob = await graph
      .api('/applications/a1/addPassword')
      .post(new Blob(['{}']))
      .catch((error: unknown) => error);

    expect(signalled).toMatchObject({ code: 'TypeError', message: "Vigil's Graph requests over node:https cannot send an abort signal" });
    expect(blob).toMatchObject({ message: "Vigil's Graph requests over node:https cannot send a body that is neither a string nor bytes" });
    expect(seen).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('sends a POST body and takes an empty 204', async () => {
    respond = (_req, res) => res.writeHead(204).end();
    await expect(graph.api('/applications/a1/removePassword').post({ keyId: 'k1' })).resolves.toBeFalsy();
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1.0/applications/a1/removePassword', body: '{"keyId":"k1"}' });
    expect(seen[0]!.headers['content-type']).toMatch(/application\/json/);
  });
});
