import { DateTime } from 'luxon';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { toActor } from '../shared/api/accessAuditEntry.js';
import { linkFor } from '../shared/signIn/requestConnection.js';
import { resolveTarget } from '../shared/signIn/resolveTarget.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { authorize } from './authorize.js';
import { toLinkResponse } from './toLinkResponse.js';
import { findVault } from './findVault.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidField, problem } from './problem.js';
import { signInsOffProblem } from './signInPage.js';
import { secretNameSchema } from '../shared/vault/secretNameSchema.js';

/**
 * `POST /api/connections/{name}/sign-in-link[?vault=…]`: a fresh reconnect link for an existing
 * connection, for its owner (`vigil-owner`), after checking the app lists Vigil's redirect URI. Links sent
 * with alerts expire; this is how an operator (or the CLI) gets a new one. Needs Vigil.Rotate; audited.
 */
export const createSignInLink: FunctionDefinition = {
  kind: 'http',
  name: 'createSignInLink',
  methods: ['POST'],
  authLevel: 'function',
  route: 'connections/{name}/sign-in-link',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    const signIn = runtime.signIn;
    if (!signIn) return signInsOffProblem();
    const name = secretNameSchema.safeParse(request.params['name']);
    if (!name.success)
      return invalidField('invalidPathParameter', 'name', 'a connection is named after its Key Vault secret: letters, digits and dashes');
    const found = await findVault(runtime.tokenKeeper, name.data, request.query.get('vault'));
    if ('response' in found) return found.response;
    const ref = { vaultUrl: found.store.vaultUrl, name: name.data };
    const resolved = await resolveTarget(signIn.requests, { kind: 'reconnect', ref });
    const now = DateTime.utc();
    if (resolved.kind === 'refused')
      return resolved.reason === 'connectionGone'
        ? problem('unknownConnection', resolved.detail)
        : problem(resolved.reason === 'vaultUnavailable' ? 'vaultUnavailable' : 'noSignInLink', resolved.detail, {
            reason: resolved.reason,
          });
    const answer = await linkFor(signIn.requests, { kind: 'reconnect', ref }, resolved.connection, 'api', now);
    await runtime.api.audit.record({
      at: toIsoUtc(now),
      actor: toActor(auth.caller),
      action: `POST /api/connections/${name.data}/sign-in-link`,
      outcome: answer.kind === 'link' ? 'linkIssued' : answer.kind,
      target: toConnectionKey(ref),
      ...(answer.kind === 'link' ? { linkId: answer.link.linkId } : {}),
    });
    return toLinkResponse(answer, { name: ref.name, vaultUrl: ref.vaultUrl, owner: resolved.connection.owner });
  },
};
