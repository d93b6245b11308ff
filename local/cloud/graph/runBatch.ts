import { z } from 'zod';
import type { GraphCall } from './graphCall.js';
import { graphError, graphJson, innerError } from './graphResponses.js';

/** JSON batching allows at most 20 requests (learn.microsoft.com/graph/json-batching). */
export const maxBatchRequests = 20;

const batchItemSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
});
type BatchItem = z.infer<typeof batchItemSchema>;

interface ItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * `POST /$batch`: checks the batch as a whole (size, unique ids, bodies with a Content-Type), then runs
 * each request through the full pipeline (its own authentication and throttling), honouring `dependsOn`:
 * a request whose dependency failed gets 424 without running.
 */
export async function runBatch(call: GraphCall): Promise<Response> {
  const read = await call.readBody();
  const envelope = read.ok ? z.object({ requests: z.array(z.unknown()) }).safeParse(read.value) : undefined;
  if (!envelope?.success) return badBatch(call, 'Invalid batch payload format.');
  if (envelope.data.requests.length > maxBatchRequests) return badBatch(call, 'Number of requests inside batch exceed the limit.');
  const items: BatchItem[] = [];
  for (const raw of envelope.data.requests) {
    const item = batchItemSchema.safeParse(raw);
    if (!item.success || /\$batch/i.test(item.data.url)) return badBatch(call, 'Invalid batch payload format.');
    if (items.some((i) => i.id.toLowerCase() === item.data.id.toLowerCase()))
      return badBatch(call, `Request Id ${item.data.id} has to be unique in a batch.`);
    items.push(item.data);
  }
  for (const item of items) {
    const hasContentType = Object.keys(item.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    const isWrite = ['POST', 'PUT', 'PATCH'].includes(item.method.toUpperCase());
    if ((item.body !== undefined || isWrite) && (!hasContentType || item.body === undefined))
      return badBatch(call, `Write request id : ${item.id} does not contain Content-Type header or body.`);
    if ((item.dependsOn ?? []).some((d) => !items.some((i) => i.id === d))) return badBatch(call, 'Invalid batch payload format.');
  }
  const results = await runInDependencyOrder(call, items);
  if (!results) return badBatch(call, 'Invalid batch payload format.');
  return graphJson(call.ids, 200, { responses: items.map((i) => results.get(i.id)!) });
}

async function runInDependencyOrder(call: GraphCall, items: BatchItem[]): Promise<Map<string, ItemResponse> | undefined> {
  const results = new Map<string, ItemResponse>();
  while (results.size < items.length) {
    const ready = items.filter((i) => !results.has(i.id) && (i.dependsOn ?? []).every((d) => results.has(d)));
    if (ready.length === 0) return undefined; // a dependency cycle
    const answered = await Promise.all(
      ready.map((item) => {
        const failed = (item.dependsOn ?? []).some((d) => results.get(d)!.status >= 400);
        return failed ? Promise.resolve(failedDependency(call, item)) : runItem(call, item);
      }),
    );
    for (const response of answered) results.set(response.id, response);
  }
  return results;
}

async function runItem(call: GraphCall, item: BatchItem): Promise<ItemResponse> {
  // Items are relative (`/applications`); the Graph client sends `/v1.0/applications`. Both are accepted.
  const path = `/${item.url.replace(/^\/+/, '').replace(/^v1\.0\//i, '')}`;
  const headers = new Headers(item.headers);
  const authorization = call.headers.get('authorization');
  if (authorization) headers.set('authorization', authorization);
  const body = item.body === undefined ? null : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  const response = await call.dispatch(new Request(`${call.origin}/v1.0${path}`, { method: item.method.toUpperCase(), headers, body }));
  const text = await response.text();
  const result: ItemResponse = { id: item.id, status: response.status, headers: toItemHeaders(response.headers) };
  if (text) result.body = parseJson(text);
  return result;
}

/**
 * Item headers as Graph spells them (`Content-Type`, `OData-Version`); the Graph client's
 * BatchResponseContent looks up `Content-Type` with exactly that case to decide to parse JSON.
 */
const headerNames: Record<string, string> = {
  'content-type': 'Content-Type',
  'cache-control': 'Cache-Control',
  'odata-version': 'OData-Version',
  'retry-after': 'Retry-After',
  location: 'Location',
};

function toItemHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== 'request-id' && name !== 'client-request-id') result[headerNames[name] ?? name] = value;
  });
  return result;
}

function failedDependency(call: GraphCall, item: BatchItem): ItemResponse {
  return {
    id: item.id,
    status: 424,
    headers: { 'Content-Type': 'application/json' },
    body: { error: { code: 'FailedDependency', message: 'A request this request depends on failed.', innerError: innerError(call.ids) } },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function badBatch(call: GraphCall, message: string): Response {
  return graphError(call.ids, 400, 'BadRequest', message);
}
