import { DateTime } from 'luxon';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { finishSignIn } from '../shared/signIn/finishSignIn.js';
import { renderOutcomePage } from '../shared/signIn/renderSignInPage.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { signInsOff, toPage } from './signInPage.js';

/**
 * `GET /api/signed-in`: the redirect URI every downstream app registers. Entra sends the owner back here
 * with a code (or an error); Vigil finishes the sign-in and shows a plain page saying the connection works
 * again, or what went wrong and who can help. Anonymous: the single-use `state` binds the answer to a
 * sign-in started from a link. Every finish is audited, with the signed-in user's ids.
 */
export const signInCallback: FunctionDefinition = {
  kind: 'http',
  name: 'signInCallback',
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'signed-in',
  async handler(request, _context, runtime) {
    const signIn = runtime.signIn;
    if (!signIn) return signInsOff();
    const now = DateTime.utc();
    const outcome = await finishSignIn(signIn.flow, new URL(request.url).searchParams, now);
    const user = outcome.user;
    await runtime.api.audit.record({
      at: toIsoUtc(now),
      actor: user
        ? { kind: 'caller', objectId: user.objectId, tenantId: user.tenantId, ...(user.username ? { name: user.username } : {}) }
        : { kind: 'anonymous' },
      action: 'sign-in.finish',
      outcome: outcome.kind,
      ...(outcome.connection ? { target: toConnectionKey(outcome.connection) } : {}),
      ...(outcome.kind === 'refused' ? { reason: outcome.code ? `${outcome.reason} ${outcome.code}` : outcome.reason } : {}),
      ...(outcome.linkId ? { linkId: outcome.linkId } : {}),
    });
    return toPage(renderOutcomePage(outcome));
  },
};
