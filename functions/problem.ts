import type { HttpResponseInit } from '@azure/functions';

/** An RFC 9457 problem document: every 4xx/5xx Vigil answers on purpose has this shape. */
export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }),
  };
}
