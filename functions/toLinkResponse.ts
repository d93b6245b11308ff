import type { HttpResponseInit } from '@azure/functions';
import { describeMissingRedirectUri } from '../shared/signIn/checkRedirectUri.js';
import type { LinkAnswer } from '../shared/signIn/requestConnection.js';
import { problem } from './problem.js';
import type { SignInLinkView } from '../shared/signIn/signInLinkViewSchema.js';

/** 201 with the link, or the problem that kept Vigil from issuing one. Shared by connect and reconnect. */
export function toLinkResponse(answer: LinkAnswer, connection: SignInLinkView['connection']): HttpResponseInit {
  switch (answer.kind) {
    case 'link':
      return {
        status: 201,
        headers: { 'cache-control': 'no-store' },
        jsonBody: {
          connection,
          signInUrl: answer.link.url,
          expiresAt: answer.link.expiresAt,
          linkId: answer.link.linkId,
          redirectUri: answer.redirectUri,
          redirectUriCheck: answer.redirectUriCheck,
        } satisfies SignInLinkView,
      };
    case 'invalid':
      return problem('connectionInvalid', answer.problems.join('; '), {
        errors: answer.problems.map((p) => ({ field: p.split(':')[0], message: p })),
      });
    case 'exists':
      return problem('connectionExists', answer.detail);
    case 'redirectUriMissing':
      return problem('redirectUriMissing', describeMissingRedirectUri(answer.clientId, answer.redirectUri), {
        redirectUri: answer.redirectUri,
      });
  }
}
