import type { HttpResponseInit } from '@azure/functions';
import { DateTime } from 'luxon';
import { toActor } from '../shared/api/accessAuditEntry.js';
import { requestRotation, type RequestOutcome } from '../shared/rotation/requestRotation.js';
import { rotationRequestSchema } from '../shared/rotation/rotationRequestSchema.js';
import { toRotationView } from '../shared/rotation/toRotationView.js';
import { rotationRequestContext } from '../shared/wiring/createRotationDeps.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidBody, invalidField, problem, readJsonBody } from './problem.js';

/** Stripe's limit; long enough for a UUID with a prefix. */
const maxIdempotencyKeyLength = 255;

/**
 * `POST /api/rotations`: plans a client secret rotation and queues it (202 + Location), or with
 * `dryRun` reports the plan (200). Needs the app role Vigil.Rotate. `Idempotency-Key` makes a repeated
 * request return the same rotation; another rotation of an app with one in flight gets 409.
 */
export const startRotation: FunctionDefinition = {
  kind: 'http',
  name: 'startRotation',
  methods: ['POST'],
  authLevel: 'function',
  route: 'rotations',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = rotationRequestSchema.safeParse(body.json);
    if (!parsed.success) return invalidBody(parsed.error);
    const key = request.headers.get('idempotency-key') ?? undefined;
    if (key !== undefined && (key.length === 0 || key.length > maxIdempotencyKeyLength))
      return invalidField('invalidHeader', 'Idempotency-Key', `give 1 to ${maxIdempotencyKeyLength} characters`);
    const { caller } = auth;
    const context = {
      ...rotationRequestContext(runtime.settings),
      requester: { kind: 'caller' as const, id: caller.appId, name: caller.name },
      actor: toActor(caller),
      ...(key ? { idempotencyKey: key } : {}),
    };
    return toResponse(await requestRotation(parsed.data, context, runtime.rotation, DateTime.utc()));
  },
};

function toResponse(outcome: RequestOutcome): HttpResponseInit {
  switch (outcome.kind) {
    case 'accepted':
    case 'replayed':
      return { status: 202, headers: { location: `/api/rotations/${outcome.rotation.id}` }, jsonBody: toRotationView(outcome.rotation) };
    case 'dryRun':
      return { status: 200, jsonBody: toRotationView(outcome.rotation, { dryRun: true }) };
    case 'conflict':
      return problem('rotationInFlight', `Rotation ${outcome.rotationId} of this application is still in progress.`, {
        rotationId: outcome.rotationId,
        location: `/api/rotations/${outcome.rotationId}`,
      });
    case 'idempotencyMismatch':
      return problem('idempotencyKeyReused', `This Idempotency-Key was used for rotation ${outcome.rotationId} with a different body.`, {
        rotationId: outcome.rotationId,
        errors: [{ field: 'Idempotency-Key', message: 'used before with a different body' }],
      });
    case 'invalid':
      return problem('cannotRotate', `${outcome.field}: ${outcome.reason}`, {
        errors: [{ field: outcome.field, message: outcome.reason }],
      });
    case 'refusedByPolicy':
      return problem('refusedByPolicy', outcome.reason, { advice: outcome.advice });
    case 'appNotFound':
      return problem('unknownApplication', 'No app registration with this id in the tenant (or Vigil cannot see it).');
    case 'unavailable':
      return problem('rotationUnavailable', outcome.reason, { headers: { 'retry-after': '30' } });
  }
}
