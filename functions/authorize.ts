import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { DateTime } from 'luxon';
import type { ApiRole, Caller, UnauthenticatedReason } from '../shared/api/AccessOutcome.js';
import { accessAuditEntry } from '../shared/api/accessAuditEntry.js';
import { authenticateRequest } from '../shared/api/authenticateRequest.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import { problem } from './problem.js';

export type Authorization = { kind: 'authorized'; caller: Caller } | { kind: 'denied'; response: HttpResponseInit };

const explanations: Record<UnauthenticatedReason, string> = {
  missingToken: "Send an Entra access token for Vigil's API in the Authorization header (Bearer).",
  malformed: 'The Authorization header or token is malformed.',
  untrustedPrincipalHeader:
    'x-ms-client-principal is not accepted here: platform authentication is not enabled for this app. Send a bearer token.',
  tenantNotAllowed: 'Tokens from this tenant are not accepted.',
  wrongIssuer: 'The token was not issued by the tenant it names.',
  wrongAudience: "The token is not for Vigil's API.",
  expired: 'The token has expired.',
  notYetValid: 'The token is not valid yet.',
  badSignature: "The token signature does not match the tenant's published keys.",
  unknownKey: 'The token is signed with a key the tenant does not publish.',
};

/**
 * The access check every HTTP route makes on top of its `authLevel`:
 * `const auth = await authorize(request, runtime, 'Vigil.Read'); if (auth.kind !== 'authorized') return auth.response;`
 * Every decision, allowed or not, goes to the audit log.
 */
export async function authorize(request: HttpRequest, runtime: Runtime, role: ApiRole): Promise<Authorization> {
  const now = DateTime.utc();
  const outcome = await authenticateRequest(request.headers, role, runtime.api.policy, now);
  await runtime.api.audit.record(accessAuditEntry(outcome, `${request.method} ${new URL(request.url).pathname}`, now));
  switch (outcome.kind) {
    case 'authorized':
      return { kind: 'authorized', caller: outcome.caller };
    case 'unauthenticated': {
      const error = outcome.reason === 'missingToken' ? '' : `, error="invalid_token", error_description="${outcome.reason}"`;
      return {
        kind: 'denied',
        response: withHeader(
          problem('unauthenticated', explanations[outcome.reason], {
            reason: outcome.reason,
            errors: [{ field: 'Authorization', message: outcome.reason }],
          }),
          'www-authenticate',
          `Bearer realm="vigil"${error}`,
        ),
      };
    }
    case 'forbidden':
      return {
        kind: 'denied',
        response: withHeader(
          problem('forbidden', `This operation needs the app role ${outcome.missingRole}.`, { missingRole: outcome.missingRole }),
          'www-authenticate',
          'Bearer realm="vigil", error="insufficient_scope"',
        ),
      };
    case 'unverifiable':
      return {
        kind: 'denied',
        response: withHeader(
          problem('credentialsUncheckable', "The tenant's signing keys could not be fetched; try again shortly."),
          'retry-after',
          '30',
        ),
      };
  }
}

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  return { ...response, headers: { ...(response.headers as Record<string, string>), [name]: value } };
}
