import { randomUUID } from 'node:crypto';
import { emptyAnswer } from '../http/emptyAnswer.js';
import type { RequestIds } from './graphCall.js';

/** The content type Graph sends with OData payloads (collections, entities, action results). */
export const odataContentType = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export const insufficientPrivileges = 'Insufficient privileges to complete the operation.';

/** Request and client request ids: Graph echoes the client's `client-request-id`, or reuses its own id. */
export function newRequestIds(now: Date, headers: Headers): RequestIds {
  const requestId = randomUUID();
  return { requestId, clientRequestId: headers.get('client-request-id') ?? requestId, date: now.toISOString().slice(0, 19) };
}

export function graphJson(ids: RequestIds, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...correlationHeaders(ids), 'content-type': odataContentType, 'odata-version': '4.0', ...headers },
  });
}

export function graphEmpty(ids: RequestIds, status: 202 | 204, headers: Record<string, string> = {}): Response {
  return emptyAnswer(status, { ...correlationHeaders(ids), ...headers });
}

/** Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphError(ids: RequestIds, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const body = { error: { code, message, innerError: innerError(ids) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...correlationHeaders(ids), 'content-type': 'application/json', ...headers },
  });
}

export function innerError(ids: RequestIds): Record<string, string> {
  return { date: ids.date, 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId };
}

export function correlationHeaders(ids: RequestIds): Record<string, string> {
  return { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, 'cache-control': 'no-cache' };
}

/** 403 for a caller whose token lacks the permission (directory objects). */
export function forbidden(ids: RequestIds): Response {
  return graphError(ids, 403, 'Authorization_RequestDenied', insufficientPrivileges);
}

/** 404 with the message Graph gives for a directory object that does not exist. */
export function resourceNotFound(ids: RequestIds, id: string): Response {
  return graphError(
    ids,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/** A failed check, as a value, for the handlers to turn into a response. */
export interface GraphFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
}

export function failure(status: number, code: string, message: string): GraphFailure {
  return { ok: false, status, code, message };
}

export function fromFailure(ids: RequestIds, f: GraphFailure): Response {
  return graphError(ids, f.status, f.code, f.message);
}
