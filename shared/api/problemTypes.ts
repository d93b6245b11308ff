import { z } from 'zod';

/**
 * Every kind of problem the API answers, once: its status and its title. RFC 9457 §4.2.1: the title is
 * the same for every occurrence of a type (what happened to this request is in `detail`), so a type
 * never borrows another's title. `type` is `urn:vigil:problem:<key>`; docs/api.md lists them all.
 */
export const problemTypes = {
  invalidQuery: { status: 400, title: 'Invalid query' },
  invalidBody: { status: 400, title: 'Invalid request body' },
  invalidPathParameter: { status: 400, title: 'Invalid path parameter' },
  invalidHeader: { status: 400, title: 'Invalid header' },
  unknownVault: { status: 400, title: 'Unknown vault' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  formRefused: { status: 403, title: 'Status-page form refused' },
  noInventory: { status: 404, title: 'No inventory yet' },
  unknownApplication: { status: 404, title: 'Unknown application' },
  unknownConnection: { status: 404, title: 'Unknown connection' },
  notAConnection: { status: 404, title: 'Not a token connection' },
  unknownFinding: { status: 404, title: 'Unknown finding' },
  unknownRotation: { status: 404, title: 'Unknown rotation' },
  ambiguousConnection: { status: 409, title: 'Ambiguous connection' },
  connectionExists: { status: 409, title: 'Connection exists' },
  refreshInProgress: { status: 409, title: 'Refresh in progress' },
  rotationInFlight: { status: 409, title: 'Rotation in flight' },
  signInsOff: { status: 409, title: 'Sign-in links are off' },
  unsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  cannotRotate: { status: 422, title: 'Cannot rotate' },
  refusedByPolicy: { status: 422, title: 'Refused by an app management policy' },
  idempotencyKeyReused: { status: 422, title: 'Idempotency-Key reused' },
  connectionInvalid: { status: 422, title: 'Connection cannot be made' },
  connectionMisconfigured: { status: 422, title: 'Connection misconfigured' },
  redirectUriMissing: { status: 422, title: 'Redirect URI missing' },
  noSignInLink: { status: 422, title: 'No sign-in link for this connection' },
  snoozeRefused: { status: 422, title: 'Snooze refused' },
  unknownTenant: { status: 422, title: 'Unknown tenant' },
  internal: { status: 500, title: 'Internal error' },
  credentialsUncheckable: { status: 503, title: 'Cannot check credentials now' },
  vaultUnavailable: { status: 503, title: 'Vault unavailable' },
  rotationUnavailable: { status: 503, title: 'Cannot plan now' },
  scanQueueUnavailable: { status: 503, title: 'Cannot queue scans now' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemType = keyof typeof problemTypes;

export const problemTypeUri = (type: ProblemType): string => `urn:vigil:problem:${type}`;

/** One thing wrong: the field (body path, query parameter, path parameter or header) when one is to blame. */
export const problemErrorSchema = z.object({
  field: z.string().optional().describe('The body field (dotted path), query or path parameter, or header at fault.'),
  message: z.string(),
});
export type ProblemError = z.output<typeof problemErrorSchema>;

/** The body of every 4xx and 5xx the API answers on purpose (application/problem+json). */
export const problemSchema = z
  .looseObject({
    type: z.enum(Object.keys(problemTypes).map((k) => problemTypeUri(k as ProblemType)) as [string, ...string[]]),
    title: z.string().describe('The same for every problem of this type (RFC 9457 §4.2.1).'),
    status: z.int(),
    detail: z.string().describe('What went wrong with this request, for a person.'),
    errors: z
      .array(problemErrorSchema)
      .optional()
      .describe('Each thing wrong, for a program: there whenever a field is named or more than one thing is wrong.'),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem document. Some types add members: `reason` (401), `missingRole` (403), `rotationId`, `advice`, `heldUntil`, `vaults`, `connection`, `queued`, `invocationId` and `operationId` (500).',
  });
export type Problem = z.output<typeof problemSchema>;
