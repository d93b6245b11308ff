import { problemSchema, type ApiOutcome } from '../ApiOutcome.js';

/**
 * The checking half of a call (the oauth4webapi pattern): a 2xx body as JSON, anything else as a
 * problem. A body that is not a problem document still yields one, from the status, so the person
 * always reads what Vigil said or at least which status it answered.
 */
export async function readApiResponse(response: Response, method: string, url: string): Promise<ApiOutcome> {
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return { kind: 'ok', status: response.status, body: json, location: response.headers.get('location') ?? undefined };
  const parsed = problemSchema.safeParse(json);
  const problem = parsed.success
    ? parsed.data
    : { title: response.statusText || `HTTP ${response.status}`, detail: text.trim().slice(0, 300) || undefined };
  return {
    kind: 'problem',
    method,
    url,
    status: response.status,
    problem,
    retryAfter: response.headers.get('retry-after') ?? undefined,
    body: json,
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
