import type { ApiRole } from './AccessOutcome.js';
import { FINDINGS_PAGE } from '../scanner/toFindingRows.js';
import { openApiComponents } from './openApiComponents.js';

const ref = (name: keyof typeof openApiComponents.schemas) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, schema: object = ref('Object')) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const queryParameter = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});

interface OperationInput {
  operationId: string;
  summary: string;
  description?: string;
  /** The app role the caller's token must carry; `null` for the description itself. */
  role: ApiRole | null;
  tag: string;
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, object>;
}

/** Every operation answers 400/401/403 the same way once `functions/authorize.ts` guards it. */
function operation(input: OperationInput) {
  const { role, tag, responses, ...rest } = input;
  if (role === null) return { ...rest, tags: [tag], security: [{ functionKey: [] }], responses };
  return {
    ...rest,
    tags: [tag],
    security: [{ functionKey: [], entraToken: [] }],
    'x-vigil-role': role,
    responses: {
      ...responses,
      '401': problem('No valid access token (WWW-Authenticate: Bearer).'),
      '403': problem(`The token lacks the app role ${role}.`),
      '503': problem("The tenant's signing keys or a backing service could not be reached."),
    },
  };
}

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/**
 * A page a person opens from a sign-in link: no function key and no token (the link's secret is the
 * capability, and Entra calls the redirect URI without either): anonymous, as `/health` is (`security: []`).
 */
function page(input: Omit<OperationInput, 'role' | 'tag'>) {
  return { ...input, tags: ['sign-in'], security: [], 'x-vigil-capability': 'sign-in link' };
}

const connectionParameters = [
  pathParameter('name', 'Key Vault secret name of the connection.'),
  queryParameter('vault', 'Vault URL, when several hold the name.'),
];
const findingId = pathParameter('id', 'Finding id: f- followed by 20 hex digits.');

/**
 * The OpenAPI 3.1 description of every Vigil HTTP endpoint, served at `GET /api/openapi.json`. A test
 * checks that each HTTP function definition (route, method, name as operationId) appears here and that
 * nothing else does.
 */
export function openApiDocument(serverUrl = '/api') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil operator API',
      version: '1.0.0',
      description: 'Credential watch and on-demand rotation. Errors are application/problem+json.',
    },
    servers: [{ url: serverUrl }],
    components: openApiComponents,
    paths: {
      '/rotations': {
        post: operation({
          operationId: 'startRotation',
          summary: 'Rotate an app registration client secret (or plan it with dryRun)',
          role: 'Vigil.Rotate',
          tag: 'rotations',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
              description: 'Repeating a request with the same key returns the same rotation.',
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('RotationRequest') } } },
          responses: {
            '200': json('dryRun: the plan; nothing was changed.', ref('Rotation')),
            '202': {
              ...json('Accepted; progress at the Location header.', ref('Rotation')),
              headers: { Location: { schema: { type: 'string' }, description: '/api/rotations/{id}' } },
            },
            '400': problem('Malformed body; `errors` names each field.'),
            '404': problem('No such application.'),
            '409': problem('Another rotation of this application is in flight.'),
            '422': problem('The request cannot be carried out (unknown keyId, tenant, vault, or a reused Idempotency-Key).'),
          },
        }),
      },
      '/rotations/{id}': {
        get: operation({
          operationId: 'getRotation',
          summary: "A rotation's plan and progress",
          role: 'Vigil.Read',
          tag: 'rotations',
          parameters: [pathParameter('id', 'Rotation id: rot- followed by a UUID.')],
          responses: {
            '200': json('The rotation.', ref('Rotation')),
            '400': problem('Malformed id.'),
            '404': problem('No such rotation.'),
          },
        }),
      },
      '/openapi.json': {
        get: operation({
          operationId: 'getOpenApi',
          summary: 'This description',
          role: null,
          tag: 'meta',
          responses: { '200': json('OpenAPI 3.1 document.') },
        }),
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'For load balancers and monitors: ok or degraded, storage reachable, when each producer last completed',
          description: 'Anonymous: only times and counts, nothing tenant-specific. 503 when degraded; `problems` says why.',
          tags: ['meta'],
          security: [],
          responses: { '200': json('Healthy.'), '503': json('Degraded.') },
        },
      },
      '/dashboard': {
        get: operation({
          operationId: 'getDashboard',
          summary: 'The status page: what needs action and what could not be checked (HTML or CSV)',
          role: 'Vigil.Read',
          tag: 'dashboard',
          parameters: [
            queryParameter('tenant', 'Tenant id.'),
            queryParameter('severity', 'Show credentials of at least this severity.', {
              enum: ['info', 'low', 'medium', 'high', 'critical'],
            }),
            queryParameter('format', 'html or csv.', { enum: ['html', 'csv'] }),
            queryParameter('notice', "What the page's last form post did (set by its 303 redirect)."),
            queryParameter('about', 'The finding id or connection name the notice is about.'),
            queryParameter('until', 'The day a snooze ends, for the notice.'),
          ],
          responses: {
            '200': {
              description: 'The page.',
              content: { 'text/html': { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
            },
            '400': problem('Invalid query.'),
          },
        }),
      },
      '/dashboard/snooze': {
        post: operation({
          operationId: 'snoozeFromDashboard',
          summary: "The status page's snooze and unsnooze form (HTML form post; programs use /findings/{id}/snooze)",
          description:
            "Needs a form token the page made for the caller and a post from Vigil's own origin (Origin, Sec-Fetch-Site); refused with 403 otherwise.",
          role: 'Vigil.Rotate',
          tag: 'dashboard',
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('Object') } } },
          responses: {
            '303': { description: 'Back to the status page, with what was done in `notice`.' },
            '400': problem('Invalid form.'),
            '415': problem('Not a form post.'),
          },
        }),
      },
      '/dashboard/reconnect': {
        post: operation({
          operationId: 'reconnectFromDashboard',
          summary: "The status page's Reconnect button: makes a sign-in link for the owner and opens it",
          description: 'The same form checks as /dashboard/snooze. Programs use /connections/{name}/sign-in-link.',
          role: 'Vigil.Rotate',
          tag: 'dashboard',
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('Object') } } },
          responses: {
            '303': { description: 'To the new sign-in link, or back to the status page saying why there is none.' },
            '400': problem('Invalid form.'),
            '415': problem('Not a form post.'),
          },
        }),
      },
      '/inventory': {
        get: operation({
          operationId: 'getInventory',
          summary: 'What Vigil could see at its last inventory run',
          role: 'Vigil.Read',
          tag: 'inventory',
          responses: { '200': json('The inventory.'), '404': problem('No inventory yet.') },
        }),
      },
      '/findings': {
        get: operation({
          operationId: 'listFindings',
          summary: 'Current credential findings, most urgent first, a page at a time, and unscanned tenants (JSON or CSV)',
          role: 'Vigil.Read',
          tag: 'findings',
          parameters: [
            queryParameter('tenant', 'Tenant id.'),
            queryParameter('severity', 'Comma-separated severities.'),
            queryParameter('maxDaysLeft', 'At most this many days left.', { type: 'integer' }),
            queryParameter('format', 'json or csv (every page).', { enum: ['json', 'csv'] }),
            queryParameter('$top', `Findings per JSON page (default ${FINDINGS_PAGE.default}).`, {
              type: 'integer',
              minimum: 1,
              maximum: FINDINGS_PAGE.max,
            }),
            queryParameter('$skipToken', "Where the page starts: follow the previous page's nextLink rather than set it."),
          ],
          responses: {
            '200': {
              description:
                'A page of findings (value), the next page (nextLink, absent on the last), and the tenants that could not be scanned.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['value', 'unscanned'],
                    properties: {
                      value: { type: 'array', items: ref('Object') },
                      nextLink: { type: 'string', format: 'uri' },
                      unscanned: { type: 'array', items: ref('Object') },
                    },
                  },
                },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '400': problem('Invalid query.'),
          },
        }),
      },
      '/scans': {
        post: operation({
          operationId: 'startScan',
          summary: 'Scan one watched tenant, or all of them, now',
          role: 'Vigil.Rotate',
          tag: 'findings',
          requestBody: {
            required: false,
            description: '{"tenantId": "…"} for one tenant in VIGIL_TENANTS; {} or {"all": true} (or no body) for all.',
            content: { 'application/json': { schema: ref('ScanRequest') } },
          },
          responses: {
            '202': {
              ...json('Queued; a scan already running for a tenant is not run twice at once.', ref('QueuedScans')),
              headers: { Location: { schema: { type: 'string' }, description: '/api/findings, for the tenant if one' } },
            },
            '400': problem('Malformed body; `errors` names each field.'),
            '422': problem('The tenant is not one Vigil watches (VIGIL_TENANTS).'),
          },
        }),
      },
      '/findings/{id}/snooze': {
        post: operation({
          operationId: 'snoozeFinding',
          summary: "Silence a finding's notifications until a time; it is re-announced when the snooze ends",
          role: 'Vigil.Rotate',
          tag: 'findings',
          parameters: [findingId],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('Object') } },
            description: '{until | days, reason, by}',
          },
          responses: {
            '201': json('Snoozed.'),
            '400': problem('Invalid id or body.'),
            '404': problem('Unknown finding.'),
            '422': problem('Snooze refused.'),
          },
        }),
        delete: operation({
          operationId: 'unsnoozeFinding',
          summary: 'End a snooze now: the finding is re-announced at once, with what the snooze held back',
          role: 'Vigil.Rotate',
          tag: 'findings',
          parameters: [findingId],
          responses: {
            '204': { description: 'Snooze ended; the finding is re-announced where it is open.' },
            '404': problem('Unknown finding.'),
          },
        }),
      },
      '/notifications': {
        get: operation({
          operationId: 'getNotifications',
          summary: 'The delivery log, newest first',
          role: 'Vigil.Read',
          tag: 'notifications',
          parameters: [queryParameter('route', 'Route name.'), queryParameter('limit', '1 to 500 (default 50).', { type: 'integer' })],
          responses: { '200': json('Log entries.'), '400': problem('Invalid query.') },
        }),
      },
      '/connections': {
        get: operation({
          operationId: 'listConnections',
          summary: 'Token connections and their state',
          role: 'Vigil.Read',
          tag: 'connections',
          responses: { '200': json('Connections.') },
        }),
        post: operation({
          operationId: 'createConnection',
          summary: 'Connect: check a new token connection and get a sign-in link for its owner',
          role: 'Vigil.Rotate',
          tag: 'connections',
          requestBody: { required: true, content: { 'application/json': { schema: ref('ConnectionRequest') } } },
          responses: {
            '201': json('The link for the owner; nothing is stored in Key Vault until they sign in.', ref('SignInLink')),
            '400': problem('Invalid body or vault.'),
            '409': problem('A secret of that name exists, or sign-in links are off (VIGIL_PUBLIC_BASE_URL).'),
            '422': problem("Invalid tags, no offline_access, client secret missing, or the app lacks Vigil's redirect URI."),
          },
        }),
      },
      '/connections/{name}/sign-in-link': {
        post: operation({
          operationId: 'createSignInLink',
          summary: 'A fresh reconnect link for the connection owner',
          role: 'Vigil.Rotate',
          tag: 'connections',
          parameters: connectionParameters,
          responses: {
            '201': json('The link (signInUrl, expiresAt, linkId), the redirect URI and whether the app lists it.', ref('SignInLink')),
            '400': problem('Invalid name or vault.'),
            '404': problem('No such connection.'),
            '409': problem('The name is ambiguous, or sign-in links are off (VIGIL_PUBLIC_BASE_URL).'),
            '422': problem("No owner to sign in, misconfigured tags, or the app lacks Vigil's redirect URI."),
          },
        }),
      },
      '/sign-in/{link}': {
        get: page({
          operationId: 'signInLink',
          summary: 'The landing page of a sign-in link: whom it is for, and a button that starts the sign-in',
          parameters: [pathParameter('link', 'The secret part of the link.')],
          responses: { '200': html('The page.'), '404': html('Unknown or altered link.'), '410': html('Expired, used or retired link.') },
        }),
        post: page({
          operationId: 'signInLink',
          summary: 'Start the sign-in: redirects to Microsoft (authorization code with PKCE)',
          parameters: [pathParameter('link', 'The secret part of the link.')],
          responses: {
            '303': { description: 'To the authorize endpoint of the connection’s cloud.' },
            '410': html('Expired, used or retired link.'),
          },
        }),
      },
      '/signed-in': {
        get: page({
          operationId: 'signInCallback',
          summary: 'The redirect URI: finishes the sign-in and says whether the connection works again',
          parameters: [queryParameter('code', 'From Microsoft.'), queryParameter('state', 'From Microsoft.')],
          responses: {
            '200': html('Connected, or refused (wrong account, consent declined, …) with what to do.'),
            '403': html('Signed in as someone other than the owner.'),
          },
        }),
      },
      '/connections/{name}/refresh': {
        post: operation({
          operationId: 'refreshConnectionNow',
          summary: 'Refresh one delegated token connection now',
          role: 'Vigil.Rotate',
          tag: 'connections',
          parameters: connectionParameters,
          responses: {
            '200': json('Outcome and state.'),
            '400': problem('Invalid name or vault.'),
            '404': problem('Not a token connection.'),
            '409': problem('Another refresh holds the lease, or the name is ambiguous.'),
            '422': problem('Misconfigured connection.'),
          },
        }),
      },
    },
  };
}
