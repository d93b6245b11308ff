import { apiRoles } from './AccessOutcome.js';
import { componentSchemas } from './openApiComponents.js';
import {
  html,
  json,
  operation,
  pathParameter,
  problem,
  problemCatalog,
  queryParameters,
  ref,
  unexpectedFailure,
  withUnexpectedPageFailure,
  type OperationInput,
} from './openApiOperations.js';
import { pageQuerySchema } from '../paging/pageQuerySchema.js';
import { dashboardQuerySchema } from '../dashboard/dashboardQuerySchema.js';
import { deliveryLogQuerySchema } from '../notifications/deliveryLogEntrySchema.js';
import { findingIdPattern } from '../notifications/findingOf.js';
import { findingsQuerySchema } from '../scanner/findingsQuerySchema.js';
import { secretNamePattern } from '../vault/secretNameSchema.js';

/** Where a client gets a token for Vigil's API: its home tenant's token endpoint and the API's `.default` scope. */
export interface OAuthDescription {
  tokenUrl: string;
  scope: string;
}

const placeholderOAuth: OAuthDescription = {
  tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  scope: 'api://vigil/.default',
};

/**
 * A page a person opens from a sign-in link: no function key and no token (the link's secret is the
 * capability, and Entra calls the redirect URI without either): anonymous, as `/health` is (`security: []`).
 */
function page(input: Omit<OperationInput, 'role' | 'tag' | 'requestBody'> & { 'x-vigil-function'?: string }) {
  return {
    ...input,
    responses: withUnexpectedPageFailure(input.responses),
    tags: ['sign-in'],
    security: [],
    'x-vigil-capability': 'sign-in link',
  };
}

const connectionParameters = [
  pathParameter('name', 'Key Vault secret name of the connection.', secretNamePattern),
  {
    name: 'vault',
    in: 'query',
    required: false,
    schema: { type: 'string', format: 'uri' },
    description: 'Vault URL, when several hold the name.',
  },
];
const findingId = pathParameter('id', 'Finding id: f- followed by 20 hex digits.', findingIdPattern);
const csv = { 'text/csv': { schema: { type: 'string' } } };

/**
 * The status page and its forms are opened from links in notifications, which carry no function key: the
 * host lets them through, and Vigil's own check (a bearer token, or App Service Authentication's user) decides.
 */
const browserPage = <T extends { responses: object }>(operation: T, scope: string) => ({
  ...operation,
  security: [{ entraToken: [scope] }],
  responses: withUnexpectedPageFailure(operation.responses),
});

/** A status-page form post: form-encoded fields (the page's own), not a JSON body. */
const formPost = <T extends { responses: object }>(operation: T, scope: string) => ({
  ...browserPage(operation, scope),
  requestBody: {
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } },
  },
});
const formRefusals = {
  '400': problem('Invalid form.', 'invalidBody'),
  '403': problem("The caller lacks Vigil.Rotate, or the form token or origin is not one of Vigil's own pages.", 'forbidden', 'formRefused'),
  '415': problem('Not a form post.', 'unsupportedMediaType'),
};

/**
 * The OpenAPI 3.1 description of every Vigil HTTP endpoint, served at `GET /api/openapi.json`. Request
 * bodies, query parameters and JSON answers are generated from the zod schemas the handlers validate
 * with and type their answers by. A test checks that each HTTP function definition (route, method, name
 * as operationId) appears here and that nothing else does.
 */
export function openApiDocument(options: { serverUrl?: string; oauth?: OAuthDescription } = {}) {
  const { serverUrl = '/api', oauth = placeholderOAuth } = options;
  const op = (input: OperationInput) => operation(input, oauth.scope);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil operator API',
      version: '1.0.0',
      description:
        'Credential watch and on-demand rotation for Microsoft Entra ID. API operations need the function key and an Entra access ' +
        `token for Vigil's API (client credentials, scope \`${oauth.scope}\`) with the app role the operation names (\`x-vigil-role\`). ` +
        'The status page and its forms take no function key, since they are opened from links in notifications: Vigil checks the ' +
        "token, or App Service Authentication's signed-in user, and the role. `/openapi.json` needs only the function key; `/health` " +
        'and the sign-in pages are anonymous. Errors are application/problem+json (RFC 9457). Lists come a page at a time: `value`, ' +
        'and `nextLink` while more follow.',
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'findings', description: 'Expiring and expired credentials, scans, snoozes.' },
      { name: 'connections', description: 'Delegated refresh-token connections kept alive in Key Vault.' },
      { name: 'rotations', description: 'Client secret rotation with an audit trail.' },
      { name: 'notifications', description: 'The delivery log.' },
      { name: 'inventory', description: 'What Vigil can see.' },
      { name: 'dashboard', description: 'The status page.' },
      { name: 'meta', description: 'This description and the health endpoint.' },
      { name: 'sign-in', description: "Pages for a connection owner's browser, opened from a sign-in link; not API operations." },
    ],
    components: {
      securitySchemes: {
        functionKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-functions-key',
          description: 'Azure Functions key (authLevel function). Not checked by the local dev host.',
        },
        entraToken: {
          type: 'oauth2',
          description:
            "Entra access token for Vigil's API, checked in the function: issuer and tenant (VIGIL_API_ALLOWED_TENANTS), audience " +
            `(VIGIL_API_AUDIENCE), signature, expiry, and the app role each operation names in \`x-vigil-role\` (${apiRoles.join(', ')}), ` +
            'granted to the calling app as an app role assignment. Sent as Authorization: Bearer.',
          flows: {
            clientCredentials: {
              tokenUrl: oauth.tokenUrl,
              scopes: { [oauth.scope]: `The app roles granted to the caller (${apiRoles.join(', ')}).` },
            },
          },
        },
      },
      schemas: {
        ...componentSchemas,
        Problem: {
          ...componentSchemas.Problem,
          description: `${String(componentSchemas.Problem['description'])}\n\nTypes:\n${problemCatalog}`,
        },
      },
    },
    paths: {
      '/findings': {
        get: op({
          operationId: 'listFindings',
          summary: 'Current credential findings, most urgent first, a page at a time, and unscanned tenants (JSON or CSV)',
          role: 'Vigil.Read',
          tag: 'findings',
          parameters: queryParameters(findingsQuerySchema),
          responses: {
            '200': {
              description:
                'A page of findings (value), the next page (nextLink, absent on the last), and the tenants that could not be scanned.',
              content: { 'application/json': { schema: ref('FindingsPage') }, ...csv },
            },
            '400': problem('Invalid query; `errors[].field` names each parameter.', 'invalidQuery'),
          },
        }),
      },
      '/scans': {
        post: op({
          operationId: 'startScan',
          summary: 'Scan one watched tenant, or all of them, now',
          role: 'Vigil.Rotate',
          tag: 'findings',
          requestBody: {
            required: false,
            description: '{"tenantId": "…"} for one tenant in VIGIL_TENANTS; {} or {"all": true} (or no body) for all.',
            schema: 'ScanRequest',
          },
          responses: {
            '202': {
              ...json('Queued; a scan already running for a tenant is not run twice at once.', ref('QueuedScans')),
              headers: { Location: { schema: { type: 'string' }, description: '/api/findings, for the tenant if one' } },
            },
            '400': problem('Malformed body; `errors[].field` names each field.', 'invalidBody'),
            '422': problem('The tenant is not one Vigil watches (VIGIL_TENANTS).', 'unknownTenant'),
            '503': problem(
              'The scan queue (or the signing keys) could not be reached; Retry-After.',
              'scanQueueUnavailable',
              'credentialsUncheckable',
            ),
          },
        }),
      },
      '/findings/{id}/snooze': {
        post: op({
          operationId: 'snoozeFinding',
          summary: "Silence a finding's notifications until a time; it is re-announced when the snooze ends",
          role: 'Vigil.Rotate',
          tag: 'findings',
          parameters: [findingId],
          requestBody: { required: true, schema: 'SnoozeRequest' },
          responses: {
            '201': json('Snoozed.', ref('SnoozedFinding')),
            '400': problem('Invalid id or body; `errors[].field` names each.', 'invalidPathParameter', 'invalidBody'),
            '404': problem('Unknown finding.', 'unknownFinding'),
            '422': problem('Snooze refused (in the past, too far ahead, or beyond the expiry margin).', 'snoozeRefused'),
          },
        }),
        delete: op({
          operationId: 'unsnoozeFinding',
          summary: 'End a snooze now: the finding is re-announced at once, with what the snooze held back',
          role: 'Vigil.Rotate',
          tag: 'findings',
          parameters: [findingId],
          responses: {
            '204': { description: 'Snooze ended; the finding is re-announced where it is open.' },
            '404': problem('Unknown finding.', 'unknownFinding'),
          },
        }),
      },
      '/connections': {
        get: op({
          operationId: 'listConnections',
          summary: 'Token connections and their state, by vault and name, a page at a time',
          role: 'Vigil.Read',
          tag: 'connections',
          parameters: queryParameters(pageQuerySchema),
          responses: {
            '200': json('A page of connections (value) and the next page (nextLink, absent on the last).', ref('ConnectionsPage')),
            '400': problem('Invalid query.', 'invalidQuery'),
          },
        }),
        post: op({
          operationId: 'createConnection',
          summary: 'Connect: check a new token connection and get a sign-in link for its owner',
          role: 'Vigil.Rotate',
          tag: 'connections',
          requestBody: { required: true, schema: 'ConnectionRequest' },
          responses: {
            '201': json('The link for the owner; nothing is stored in Key Vault until they sign in.', ref('SignInLink')),
            '400': problem('Invalid body or vault.', 'invalidBody', 'unknownVault'),
            '409': problem(
              'A secret of that name exists, or sign-in links are off (VIGIL_PUBLIC_BASE_URL).',
              'connectionExists',
              'signInsOff',
            ),
            '422': problem(
              "Invalid tags, no offline_access, client secret or certificate missing, unusable or expired, or the app lacks Vigil's redirect URI.",
              'connectionInvalid',
              'redirectUriMissing',
            ),
          },
        }),
      },
      '/connections/{name}/sign-in-link': {
        post: op({
          operationId: 'createSignInLink',
          summary: 'A fresh reconnect link for the connection owner',
          role: 'Vigil.Rotate',
          tag: 'connections',
          parameters: connectionParameters,
          responses: {
            '201': json('The link (signInUrl, expiresAt, linkId), the redirect URI and whether the app lists it.', ref('SignInLink')),
            '400': problem('Invalid name or vault.', 'invalidPathParameter', 'unknownVault'),
            '404': problem('No such connection.', 'unknownConnection'),
            '409': problem('The name is ambiguous, or sign-in links are off (VIGIL_PUBLIC_BASE_URL).', 'ambiguousConnection', 'signInsOff'),
            '422': problem(
              "No owner to sign in, misconfigured tags, or the app lacks Vigil's redirect URI.",
              'noSignInLink',
              'redirectUriMissing',
            ),
            '503': problem('The vault (or the signing keys) could not be reached.', 'vaultUnavailable', 'credentialsUncheckable'),
          },
        }),
      },
      '/connections/{name}/refresh': {
        post: op({
          operationId: 'refreshConnectionNow',
          summary: 'Refresh one delegated token connection now',
          role: 'Vigil.Rotate',
          tag: 'connections',
          parameters: connectionParameters,
          responses: {
            '200': json('How the attempt went, and the state after it.', ref('RefreshResult')),
            '400': problem('Invalid name or vault.', 'invalidPathParameter', 'unknownVault'),
            '404': problem('Not a token connection.', 'notAConnection', 'unknownConnection'),
            '409': problem('Another refresh holds the lease, or the name is ambiguous.', 'refreshInProgress', 'ambiguousConnection'),
            '422': problem('Misconfigured connection (`connection` holds its state).', 'connectionMisconfigured'),
          },
        }),
      },
      '/rotations': {
        post: op({
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
          requestBody: { required: true, schema: 'RotationRequest' },
          responses: {
            '200': json('dryRun: the plan; nothing was changed.', ref('Rotation')),
            '202': {
              ...json('Accepted; progress at the Location header.', ref('Rotation')),
              headers: { Location: { schema: { type: 'string' }, description: '/api/rotations/{id}' } },
            },
            '400': problem('Malformed body or Idempotency-Key; `errors[].field` names each.', 'invalidBody', 'invalidHeader'),
            '404': problem('No such application.', 'unknownApplication'),
            '409': problem('Another rotation of this application is in flight.', 'rotationInFlight'),
            '422': problem(
              'The request cannot be carried out (unknown keyId, tenant or vault; an app management policy; a reused Idempotency-Key).',
              'cannotRotate',
              'refusedByPolicy',
              'idempotencyKeyReused',
            ),
            '503': problem(
              'Graph or Key Vault (or the signing keys) could not be reached; Retry-After.',
              'rotationUnavailable',
              'credentialsUncheckable',
            ),
          },
        }),
      },
      '/rotations/{id}': {
        get: op({
          operationId: 'getRotation',
          summary: "A rotation's plan and progress",
          role: 'Vigil.Read',
          tag: 'rotations',
          parameters: [pathParameter('id', 'Rotation id: rot- followed by a UUID.', /^rot-[0-9a-f-]{36}$/)],
          responses: {
            '200': json('The rotation.', ref('Rotation')),
            '400': problem('Malformed id.', 'invalidPathParameter'),
            '404': problem('No such rotation.', 'unknownRotation'),
          },
        }),
      },
      '/notifications': {
        get: op({
          operationId: 'getNotifications',
          summary: 'The delivery log, newest first, a page at a time',
          role: 'Vigil.Read',
          tag: 'notifications',
          parameters: queryParameters(deliveryLogQuerySchema),
          responses: {
            '200': json('A page of delivery attempts (value) and the next page (nextLink, absent on the last).', ref('DeliveryLogPage')),
            '400': problem('Invalid query.', 'invalidQuery'),
          },
        }),
      },
      '/inventory': {
        get: op({
          operationId: 'getInventory',
          summary: 'What Vigil could see at its last inventory run',
          role: 'Vigil.Read',
          tag: 'inventory',
          responses: { '200': json('The inventory.', ref('Inventory')), '404': problem('No inventory yet.', 'noInventory') },
        }),
      },
      '/dashboard': {
        get: browserPage(
          op({
            operationId: 'getDashboard',
            summary: 'The status page: what needs action and what could not be checked (HTML or CSV)',
            role: 'Vigil.Read',
            tag: 'dashboard',
            parameters: queryParameters(dashboardQuerySchema),
            responses: {
              '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } }, ...csv } },
              '400': problem('Invalid query.', 'invalidQuery'),
            },
          }),
          oauth.scope,
        ),
      },
      '/dashboard/snooze': {
        post: formPost(
          op({
            operationId: 'snoozeFromDashboard',
            summary: "The status page's snooze and unsnooze form (HTML form post; programs use /findings/{id}/snooze)",
            description:
              "Needs a form token the page made for the caller and a post from Vigil's own origin (Origin, Sec-Fetch-Site); refused with 403 otherwise.",
            role: 'Vigil.Rotate',
            tag: 'dashboard',
            responses: {
              '303': { description: 'Back to the status page, with what was done in `notice`.' },
              ...formRefusals,
            },
          }),
          oauth.scope,
        ),
      },
      '/dashboard/reconnect': {
        post: formPost(
          op({
            operationId: 'reconnectFromDashboard',
            summary: "The status page's Reconnect button: makes a sign-in link for the owner and opens it",
            description: 'The same form checks as /dashboard/snooze. Programs use /connections/{name}/sign-in-link.',
            role: 'Vigil.Rotate',
            tag: 'dashboard',
            responses: {
              '303': { description: 'To the new sign-in link, or back to the status page saying why there is none.' },
              ...formRefusals,
            },
          }),
          oauth.scope,
        ),
      },
      '/openapi.json': {
        get: op({
          operationId: 'getOpenApi',
          summary: 'This description',
          description: 'Needs only the function key: the description holds nothing secret, and tools fetch it without a token.',
          role: null,
          tag: 'meta',
          responses: { '200': json('OpenAPI 3.1 document.', { type: 'object' }) },
        }),
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'For load balancers and monitors: ok or degraded, storage reachable, when each producer last completed',
          description: 'Anonymous: only times and counts, nothing tenant-specific. 503 when degraded; `problems` says why.',
          tags: ['meta'],
          security: [],
          responses: { '200': json('Healthy.', ref('Health')), '503': json('Degraded.', ref('Health')), ...unexpectedFailure },
        },
      },
      '/sign-in/{link}': {
        get: page({
          operationId: 'signInLink',
          summary: 'The landing page of a sign-in link: whom it is for, and a button that starts the sign-in',
          parameters: [pathParameter('link', 'The secret part of the link.')],
          responses: { '200': html('The page.'), '404': html('Unknown or altered link.'), '410': html('Expired, used or retired link.') },
        }),
        // operationIds are unique (OpenAPI 3.1 §4.8.10.1): the function serving both methods is named in x-vigil-function.
        post: page({
          operationId: 'startSignIn',
          'x-vigil-function': 'signInLink',
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
          parameters: [
            { name: 'code', in: 'query', required: false, schema: { type: 'string' }, description: 'From Microsoft.' },
            { name: 'state', in: 'query', required: false, schema: { type: 'string' }, description: 'From Microsoft.' },
          ],
          responses: {
            '200': html("Connected: the token is stored; the page says whether Vigil's first refresh with it worked."),
            '400': html(
              'Refused (consent declined, Entra refused or could not be reached, an answer to no sign-in started here, …) with what to do.',
            ),
            '403': html('Signed in as someone other than the owner.'),
            '404': html("The link's record is gone, or sign-in links are off on this Vigil (VIGIL_PUBLIC_BASE_URL not set)."),
            '410': html('The link was used (another sign-in through it finished first) or retired by a newer sign-in.'),
            '500': html('Refused because Vigil could not make its request to Entra (a fault in Vigil or its settings): what to do.'),
          },
        }),
      },
    },
  };
}
