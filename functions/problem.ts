import type { HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

/** An RFC 9457 problem document: every 4xx/5xx Vigil answers on purpose has this shape. */
export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }),
  };
}

/** A 400 naming each bad field of a JSON body, in `detail` for a person and in `errors[].field` for a program. */
export function invalidBody(error: z.ZodError): HttpResponseInit {
  const errors = error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  return problem(400, 'Invalid request body', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

/** The body as JSON, or a 400 saying it is not. */
export async function readJsonBody(request: {
  text(): Promise<string>;
}): Promise<{ ok: true; json: unknown } | { ok: false; response: HttpResponseInit }> {
  try {
    return { ok: true, json: JSON.parse(await request.text()) as unknown };
  } catch {
    return {
      ok: false,
      response: problem(400, 'Invalid request body', 'The body must be a JSON object.', {
        errors: [{ field: 'body', message: 'not JSON' }],
      }),
    };
  }
}
