import type { HttpResponseInit } from '@azure/functions';
import { describeMissingRedirectUri } from '../shared/signIn/checkRedirectUri.js';
import type { LinkAnswer } from '../shared/signIn/requestConnection.js';
import { problem } from './problem.js';

/** 201 with the link, or the problem that kept Vigil from issuing one. Shared by connect and reconnect. */
export function toLinkResponse(answer: LinkAnswer, extra: Record<string, unknown>): HttpResponseInit {
  switch (answer.kind) {
    case 'link':
      return {
        status: 201,
        headers: { 'cache-control': 'no-store' },
        jsonBody: {
          ...extra,
          signInUrl: answer.link.url,
          expiresAt: answer.link.expiresAt,
          linkId: answer.link.linkId,
          redirectUri: answer.redirectUri,
          redirectUriCheck: answer.redirectUriCheck,
        },
      };
    case 'invalid':
      return problem(422, 'Connection cannot be made', answer.problems.join('; '), {
        errors: answer.problems.map((p) => ({ field: p.split(':')[0], message: p })),
      });
    case 'exists':
      return problem(409, 'Connection exists', answer.detail);
    case 'redirectUriMissing':
      return problem(422, 'Redirect URI missing', describeMissingRedirectUri(answer.clientId, answer.redirectUri), {
        redirectUri: answer.redirectUri,
      });
  }
}
