import { openApiDocument } from '../shared/api/openApiDocument.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 description of every endpoint. `authLevel: 'function'` and no
 * bearer token: the description holds nothing secret, but Vigil's API is for its operators, not the
 * Internet, and every operator tool already holds the function key; tools (code generators, Swagger UI)
 * can fetch it without an Entra token. The local dev host does not check function keys.
 */
export const getOpenApi: FunctionDefinition = {
  kind: 'http',
  name: 'getOpenApi',
  methods: ['GET'],
  authLevel: 'function',
  route: 'openapi.json',
  async handler(_request, _context, runtime) {
    return { status: 200, jsonBody: openApiDocument({ oauth: runtime.api.oauth }) };
  },
};
