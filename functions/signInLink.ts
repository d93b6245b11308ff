import { DateTime } from 'luxon';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { renderLinkPage } from '../shared/signIn/renderSignInPage.js';
import { lookUpLink, reportLinkRefusal, startSignIn } from '../shared/signIn/startSignIn.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { signInsOff, toPage } from './signInPage.js';

/**
 * `GET|POST /api/sign-in/{link}`: a sign-in link. GET shows whom the link is for and a button; POST
 * (the button) starts the sign-in and redirects to Microsoft. A GET never starts anything, so mail
 * scanners that open links cannot use one up. Anonymous on purpose: the owner has no function key or
 * Vigil role, and the link's secret is the capability (docs/tokens.md "Sign-in links"). Every start is audited.
 */
export const signInLink: FunctionDefinition = {
  kind: 'http',
  name: 'signInLink',
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  route: 'sign-in/{link}',
  async handler(request, _context, runtime) {
    const signIn = runtime.signIn;
    if (!signIn) return signInsOff();
    const secret = request.params['link'] ?? '';
    const now = DateTime.utc();
    const action = new URL(request.url).pathname;
    if (request.method === 'GET') {
      const found = await lookUpLink(signIn.flow, secret, now);
      await reportLinkRefusal(signIn.flow, found, now);
      return toPage(renderLinkPage(found, action));
    }
    const started = await startSignIn(signIn.flow, secret, now);
    await runtime.api.audit.record({
      at: toIsoUtc(now),
      actor: { kind: 'anonymous' },
      action: 'sign-in.start',
      outcome: started.kind === 'redirect' ? 'started' : 'refused',
      ...(started.kind === 'redirect' ? { target: toConnectionKey(started.connection) } : { reason: started.reason }),
      ...(started.linkId ? { linkId: started.linkId } : {}),
    });
    if (started.kind !== 'redirect') return toPage(renderLinkPage(started, action));
    return { status: 303, headers: { location: started.authorizeUrl, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
  },
};
