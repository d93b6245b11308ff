import { DateTime } from 'luxon';
import { refreshConnection } from '../shared/tokens/refreshConnection.js';
import { toConnectionView } from '../shared/tokens/toConnectionView.js';
import { toRefreshDeps } from '../shared/wiring/createTokenKeeper.js';
import { findVault } from './findVault.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';
import { secretNameSchema } from '../shared/vault/secretNameSchema.js';

/**
 * `POST /api/connections/{name}/refresh[?vault=https://…]`: refreshes one connection now, under the same
 * lease as the queue, and answers with its state. The vault may be left out when only one vault has a
 * connection of that name. 409 while another refresh holds the lease. Needs Vigil.Rotate: it may
 * store a new secret version.
 */
export const refreshConnectionNow: FunctionDefinition = {
  kind: 'http',
  name: 'refreshConnectionNow',
  methods: ['POST'],
  authLevel: 'function',
  route: 'connections/{name}/refresh',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    const name = secretNameSchema.safeParse(request.params['name']);
    if (!name.success)
      return problem(400, 'Invalid connection name', 'A connection is named after its Key Vault secret: letters, digits and dashes.');
    const found = await findVault(runtime.tokenKeeper, name.data, request.query.get('vault'));
    if ('response' in found) return found.response;
    const run = await refreshConnection(
      toRefreshDeps(runtime.tokenKeeper, found.store),
      { vaultUrl: found.store.vaultUrl, name: name.data },
      DateTime.utc(),
    );
    switch (run.kind) {
      case 'busy':
        return problem(409, 'Refresh in progress', `Another refresh of ${name.data} holds its lease until ${run.heldUntil}.`, {
          heldUntil: run.heldUntil,
        });
      case 'alreadyDone': // only for queued refreshes, which carry a planning time
      case 'notAConnection':
        return problem(
          404,
          'Not a token connection',
          `${name.data} in ${found.store.vaultUrl} does not carry vigil-kind: delegated-refresh-token.`,
        );
      case 'attempted':
        if (run.state.status === 'misconfigured')
          return problem(422, 'Connection misconfigured', run.state.problems.join('; '), {
            connection: toConnectionView(run.state, runtime.tokenKeeper.policy),
          });
        return {
          status: 200,
          jsonBody: { outcome: run.outcome, warnings: run.warnings, connection: toConnectionView(run.state, runtime.tokenKeeper.policy) },
        };
    }
  },
};
