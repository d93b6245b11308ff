import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { problemTypes, problemTypeUri, type ProblemError, type ProblemType } from '../shared/api/problemTypes.js';

/**
 * An RFC 9457 problem document: every 4xx/5xx Vigil answers on purpose has this shape. The type fixes
 * the status and title; `detail` says what happened to this request; `errors` names each thing wrong.
 */
export function problem(
  type: ProblemType,
  detail: string,
  extra: { errors?: ProblemError[]; headers?: Record<string, string>; [member: string]: unknown } = {},
): HttpResponseInit {
  const { headers = {}, ...members } = extra;
  const { status, title } = problemTypes[type];
  return {
    status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: problemTypeUri(type), title, status, detail, ...members }),
  };
}

/** A 400 naming each bad field of a JSON body, in `detail` for a person and in `errors[].field` for a program. */
export function invalidBody(error: z.ZodError): HttpResponseInit {
  return problem('invalidBody', ...describeIssues(error, 'body'));
}

/** A 400 naming each bad query parameter (the parameter, not a place inside its parsed value: `severity`, not `severity.0`). */
export function invalidQuery(error: z.ZodError): HttpResponseInit {
  return problem('invalidQuery', ...describeIssues(error, 'query', 1));
}

/**
 * One error per thing wrong, each naming its field. An object's unknown keys (zod's `unrecognized_keys`,
 * one issue for all of them at the object's path) become one error each, named by the key itself, so a
 * misspelt `$tpo` or `lifetimeDay` is named as the field it is.
 */
function describeIssues(error: z.ZodError, whole: 'body' | 'query', depth?: number): [string, { errors: ProblemError[] }] {
  const fieldOf = (path: PropertyKey[]) => path.slice(0, depth).map(String).join('.') || whole;
  const errors = error.issues.flatMap((i): ProblemError[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ field: fieldOf([...i.path, key]), message: `Unknown ${whole === 'query' ? 'parameter' : 'field'}` }))
      : [{ field: fieldOf(i.path), message: i.message }],
  );
  return [errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }];
}

/** A 400 naming one bad path parameter, query parameter or header. */
export function invalidField(
  type: 'invalidPathParameter' | 'invalidHeader' | 'invalidQuery',
  field: string,
  message: string,
): HttpResponseInit {
  return problem(type, `${field}: ${message}`, { errors: [{ field, message }] });
}

const isJson = (contentType: string) => /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());

/**
 * The body as JSON: a 415 when it is sent as anything but JSON (a `curl -d` without a content type is
 * form-encoded), a 400 when it does not parse. An empty body is `empty` when the route allows one.
 */
export async function readJsonBody(
  request: Pick<HttpRequest, 'text' | 'headers' | 'method'>,
  options: { empty?: unknown } = {},
): Promise<{ ok: true; json: unknown } | { ok: false; response: HttpResponseInit }> {
  const text = await request.text();
  if (text.trim() === '' && 'empty' in options) return { ok: true, json: options.empty };
  const contentType = request.headers.get('content-type') ?? '';
  if (!isJson(contentType))
    return {
      ok: false,
      response: problem(
        'unsupportedMediaType',
        `Send the body as JSON with Content-Type: application/json${contentType ? ` (not ${contentType})` : ''}.`,
        {
          errors: [{ field: 'Content-Type', message: contentType ? `${contentType} is not JSON` : 'missing' }],
          headers: { [request.method === 'PATCH' ? 'accept-patch' : 'accept-post']: 'application/json' },
        },
      ),
    };
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: problem('invalidBody', 'The body must be JSON.', { errors: [{ field: 'body', message: 'not JSON' }] }) };
  }
}
