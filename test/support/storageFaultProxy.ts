import http from 'node:http';
import type { Azurite } from '../../local/azurite/startAzurite.js';
import { close, forwardRequest, listen, portOf, withBody } from './forwardRequest.js';

/**
 * A fault-injecting HTTP proxy between Vigil and Azurite's Table and Queue services, for chaos tests:
 * point `AzureWebJobsStorage` at `connectionString` (startTestStack does with `storageFaults: true`), then
 * tell it which requests to refuse, reset, delay or drop. Everything not matched passes through unchanged.
 * Blob is not proxied: Vigil does not use it.
 */
export interface StorageFaultProxy extends Azurite {
  /** Applies `fault` to the next `times` requests that match (after letting `skip` of them through). */
  inject(match: StorageRequestMatch, fault: StorageFault, count?: { times?: number; skip?: number }): InjectedFault;
  /** Removes every injected fault; requests already held by a delay stay held. */
  clear(): void;
  /** Every request seen, in arrival order, with the fault it met (if any). */
  readonly requests: readonly SeenStorageRequest[];
}

export type StorageService = 'table' | 'queue';

/** What a request is, as far as matching goes. `table` is read from the body for a create or a batch. */
export interface StorageRequest {
  service: StorageService;
  method: string;
  /** The decoded path after the account, e.g. `/VigilConnections(PartitionKey='p',RowKey='r')`, `/vigil-outbox/messages`. */
  path: string;
  table?: string;
  queue?: string;
  /** A Table entity-group transaction (`$batch`). */
  batch: boolean;
  body: string;
}

/** Every given field must match; `path` as a substring or a pattern, `when` for anything else. */
export interface StorageRequestMatch {
  service?: StorageService;
  method?: string;
  table?: string;
  queue?: string;
  path?: string | RegExp;
  when?: (request: StorageRequest) => boolean;
}

export type StorageFault =
  /** Answer with this status and the service's error body, without forwarding. */
  | { kind: 'refuse'; status: number; code?: string }
  /** Reset the connection without forwarding (the client sees ECONNRESET). */
  | { kind: 'reset' }
  /**
   * Hold the request for `ms` (Infinity: until the proxy stops), then forward it if the client still waits.
   * A client that gave up meanwhile is not forwarded: a timed-out request did not happen.
   */
  | { kind: 'delay'; ms: number }
  /** Forward, let Azurite apply it, then reset the connection instead of answering: done, but unconfirmed. */
  | { kind: 'drop' };

export interface InjectedFault {
  /** How many requests this fault has been applied to so far. */
  readonly hits: number;
  remove(): void;
}

export interface SeenStorageRequest extends Omit<StorageRequest, 'body'> {
  fault?: StorageFault['kind'];
}

interface Rule {
  match: StorageRequestMatch;
  fault: StorageFault;
  times: number;
  skip: number;
  hits: number;
}

/** Starts one proxy listener per service in front of a running Azurite. */
export async function startStorageFaultProxy(azurite: Azurite): Promise<StorageFaultProxy> {
  const account = new URL(azurite.tableUrl).pathname.split('/')[1] ?? '';
  let rules: Rule[] = [];
  const requests: SeenStorageRequest[] = [];
  const held = new Set<() => void>();
  const agent = new http.Agent({ keepAlive: true });

  const take = (request: StorageRequest): StorageFault | undefined => {
    for (const rule of rules) {
      if (rule.hits >= rule.times || !matches(rule.match, request)) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      rule.hits++;
      return rule.fault;
    }
    return undefined;
  };

  const handler = (service: StorageService, upstream: URL) =>
    withBody((req, res, body) => {
      const request = describe(service, account, req, body.toString('utf8'));
      const fault = take(request);
      const { body: _body, ...seen } = request;
      requests.push(fault ? { ...seen, fault: fault.kind } : seen);
      const forward = (onAnswer: (answer: http.IncomingMessage) => void) => forwardRequest(upstream, agent, req, body, onAnswer);
      const pass = () =>
        forward((answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
      switch (fault?.kind) {
        case undefined:
          return pass();
        case 'refuse':
          return refuse(res, service, fault.status, fault.code);
        case 'reset':
          return req.socket.destroy();
        case 'drop':
          return forward((answer) => answer.resume().on('end', () => req.socket.destroy()));
        case 'delay':
          return hold(fault.ms, res, held, pass);
      }
    });

  const tableServer = await listen(handler('table', new URL(azurite.tableUrl)));
  const queueServer = await listen(handler('queue', new URL(azurite.queueUrl)));
  const tableUrl = `http://127.0.0.1:${portOf(tableServer)}/${account}`;
  const queueUrl = `http://127.0.0.1:${portOf(queueServer)}/${account}`;
  const connectionString = azurite.connectionString
    .replace(/TableEndpoint=[^;]*/, `TableEndpoint=${tableUrl}`)
    .replace(/QueueEndpoint=[^;]*/, `QueueEndpoint=${queueUrl}`);

  return {
    connectionString,
    tableUrl,
    queueUrl,
    requests,
    inject(match, fault, count = {}) {
      const rule: Rule = { match, fault, times: count.times ?? 1, skip: count.skip ?? 0, hits: 0 };
      rules.push(rule);
      return {
        get hits() {
          return rule.hits;
        },
        remove: () => void (rules = rules.filter((r) => r !== rule)),
      };
    },
    clear: () => void (rules = []),
    async stop() {
      for (const release of held) release();
      agent.destroy();
      await Promise.all([close(tableServer), close(queueServer)]);
    },
  };
}

function matches(match: StorageRequestMatch, request: StorageRequest): boolean {
  const path = match.path;
  return (
    (match.service === undefined || match.service === request.service) &&
    (match.method === undefined || match.method.toUpperCase() === request.method) &&
    (match.table === undefined || match.table === request.table) &&
    (match.queue === undefined || match.queue === request.queue) &&
    (path === undefined || (typeof path === 'string' ? request.path.includes(path) : path.test(request.path))) &&
    (match.when === undefined || match.when(request))
  );
}

/** Names the table or queue: from the path, or for `POST /Tables` and `$batch` from the body. */
function describe(service: StorageService, account: string, req: http.IncomingMessage, body: string): StorageRequest {
  const url = new URL(req.url ?? '/', 'http://proxy');
  const path = decodeURIComponent(url.pathname).replace(new RegExp(`^/${account}`), '') || '/';
  const first = /^\/([^/(]+)/.exec(path)?.[1];
  const method = (req.method ?? 'GET').toUpperCase();
  if (service === 'queue') return { service, method, path, ...(first ? { queue: first } : {}), batch: false, body };
  const batch = first === '$batch';
  const table =
    first === 'Tables' && method === 'POST'
      ? /"TableName"\s*:\s*"([^"]+)"/.exec(body)?.[1]
      : batch
        ? new RegExp(`/${account}/([A-Za-z][A-Za-z0-9]*)[(\\s?]`).exec(body)?.[1]
        : first === 'Tables'
          ? /^\/Tables\('([^']+)'\)/.exec(path)?.[1]
          : first;
  return { service, method, path, ...(table ? { table } : {}), batch, body };
}

/** The error body each service sends, so the SDKs classify a refusal as they would a real one. */
function refuse(res: http.ServerResponse, service: StorageService, status: number, code = status >= 500 ? 'ServerBusy' : 'InjectedFault') {
  const message = `Injected by the storage fault proxy (${status}).`;
  if (service === 'table') {
    res.writeHead(status, { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-error-code': code });
    res.end(JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: message } } }));
  } else {
    res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code });
    res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  }
}

function hold(ms: number, res: http.ServerResponse, held: Set<() => void>, pass: () => void) {
  const release = () => {
    clearTimeout(timer);
    held.delete(release);
    if (!res.destroyed) res.destroy();
  };
  const timer = Number.isFinite(ms)
    ? setTimeout(() => {
        held.delete(release);
        if (!res.destroyed && !res.socket?.destroyed) pass();
      }, ms)
    : undefined;
  held.add(release);
  res.on('close', () => {
    clearTimeout(timer);
    held.delete(release);
  });
}
