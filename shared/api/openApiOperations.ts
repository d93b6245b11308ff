import { z } from 'zod';
import { problemTypes, problemTypeUri, type ProblemType } from './problemTypes.js';
import type { ApiRole } from './AccessOutcome.js';
import { tidy, type SchemaName } from './openApiComponents.js';

/** The pieces every operation of the OpenAPI description is built from. */
export const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
export const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
export const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/** A problem answer, naming the problem types it may carry (docs/api.md lists them all). */
export const problem = (description: string, ...types: ProblemType[]) => ({
  description: types.length ? `${description} (${types.map((t) => `\`${problemTypeUri(t)}\``).join(', ')})` : description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/**
 * Any operation may fail unexpectedly (a bug, a failure no use case handles): `functions/answerUnexpectedFailure.ts`
 * answers every HTTP function's throw with this 500 rather than the host's bare one.
 */
export const unexpectedFailure = {
  '500': problem('Vigil failed unexpectedly; quote `invocationId` (and `operationId`) to whoever runs it.', 'internal'),
};

/** The same for a page a browser opens: a page saying so when the request accepts `text/html`. */
const unexpectedPageFailure = {
  '500': {
    ...unexpectedFailure['500'],
    content: { ...unexpectedFailure['500'].content, 'text/html': { schema: { type: 'string' } } },
  },
};

/**
 * A page's responses with the unexpected-failure 500 added. A page that answers a 500 of its own (the sign-in
 * callback's refusal when Vigil could not make its request) keeps it: the two descriptions are joined and their
 * content merged, so neither is left out of the description.
 */
export function withUnexpectedPageFailure<R extends object>(responses: R) {
  const generic = unexpectedPageFailure['500'];
  const own = (responses as { '500'?: { description: string; content?: object } })['500'];
  const merged = own
    ? { description: `${own.description} Or: ${generic.description}`, content: { ...generic.content, ...own.content } }
    : generic;
  return { ...responses, '500': merged };
}

export const pathParameter = (name: string, description: string, pattern?: RegExp) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', ...(pattern ? { pattern: pattern.source } : {}) },
  description,
});

/**
 * The query parameters of an operation, from the zod schema its handler validates the query with: names,
 * types, limits, enums, defaults and descriptions. `code` (the function key in the query) is the
 * `functionKey` security scheme's business, not a parameter: no query schema declares it (parseQuery).
 */
export function queryParameters(schema: z.ZodObject): object[] {
  const generated = z.toJSONSchema(schema, { io: 'input', override: tidy('input') }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(generated.properties ?? {}).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: generated.required?.includes(name) ?? false,
    schema,
    // A list in one parameter, comma-separated (`severity=high,critical`).
    ...((schema as { type?: unknown }).type === 'array' ? { style: 'form', explode: false } : {}),
    ...(description ? { description } : {}),
  }));
}

export interface OperationInput {
  operationId: string;
  summary: string;
  description?: string;
  /** The app role the caller's token must carry; `null` for the description itself. */
  role: ApiRole | null;
  tag: string;
  parameters?: object[];
  requestBody?: { required: boolean; description?: string; schema: SchemaName };
  responses: Record<string, object>;
}

/**
 * An operation behind `functions/authorize.ts`: the function key and an Entra token with the `.default`
 * scope, whose app role is named in the description and in `x-vigil-role`. Every such operation may
 * answer 401, 403, 500 and 503 the same way; one with a body also 415.
 */
export function operation(input: OperationInput, scope: string) {
  const { role, tag, responses, requestBody, description, ...rest } = input;
  const body = requestBody && {
    required: requestBody.required,
    ...(requestBody.description ? { description: requestBody.description } : {}),
    content: { 'application/json': { schema: ref(requestBody.schema) } },
  };
  const unsupported = requestBody ? { '415': problem('The body is not sent as application/json.', 'unsupportedMediaType') } : {};
  if (role === null)
    return {
      ...rest,
      ...(description ? { description } : {}),
      tags: [tag],
      security: [{ functionKey: [] }],
      responses: { ...responses, ...unexpectedFailure },
    };
  return {
    ...rest,
    description: `${description ? `${description}\n\n` : ''}Needs the app role **${role}** in the token.`,
    tags: [tag],
    security: [{ functionKey: [], entraToken: [scope] }],
    'x-vigil-role': role,
    ...(body ? { requestBody: body } : {}),
    // An operation's own answer for a status (a 503 of its own) comes after, and names both causes.
    responses: {
      '401': problem('No valid access token; WWW-Authenticate: Bearer, and `reason` says why.', 'unauthenticated'),
      '403': problem(`The token lacks the app role ${role}.`, 'forbidden'),
      '503': problem("The tenant's signing keys could not be fetched; Retry-After.", 'credentialsUncheckable'),
      ...unsupported,
      ...responses,
      ...unexpectedFailure,
    },
  };
}

/** The problem types' titles, for the description of the Problem schema's `type`. */
export const problemCatalog = Object.entries(problemTypes)
  .map(([type, { status, title }]) => `- \`${problemTypeUri(type as ProblemType)}\` (${status}): ${title}`)
  .join('\n');
