import { DateTime } from 'luxon';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { toActor } from '../shared/api/accessAuditEntry.js';
import { connectionRequestSchema } from '../shared/signIn/connectionRequestSchema.js';
import { requestConnection } from '../shared/signIn/requestConnection.js';
import { toLinkResponse } from './toLinkResponse.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { invalidBody, problem, readJsonBody } from './problem.js';
import { signInsOffProblem } from './signInPage.js';

/**
 * `POST /api/connections`: connect. Checks a new token connection (its tags as the keeper will read them,
 * a free name, the app's client secret in the vault, Vigil's redirect URI on the app) and answers 201
 * with a sign-in link for its owner. Nothing is stored in Key Vault until the owner signs in. Needs
 * Vigil.Rotate; audited.
 */
export const createConnection: FunctionDefinition = {
  kind: 'http',
  name: 'createConnection',
  methods: ['POST'],
  authLevel: 'function',
  route: 'connections',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Rotate');
    if (auth.kind !== 'authorized') return auth.response;
    if (!runtime.signIn) return signInsOffProblem();
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const parsed = connectionRequestSchema.safeParse(body.json);
    if (!parsed.success) return invalidBody(parsed.error);
    const { vaultUrl, ...fields } = parsed.data;
    const vaults = runtime.tokenKeeper.stores.map((s) => s.vaultUrl);
    const vault = vaultUrl ?? (vaults.length === 1 ? vaults[0] : undefined);
    if (!vault || !runtime.signIn.requests.vault(vault))
      return problem('unknownVault', `Name one of the watched vaults in vaultUrl: ${vaults.join(', ')}.`, {
        errors: [{ field: 'vaultUrl', message: 'not a watched vault' }],
      });
    const connection = { ...fields, vaultUrl: runtime.signIn.requests.vault(vault)!.vaultUrl };
    const now = DateTime.utc();
    const answer = await requestConnection(runtime.signIn.requests, connection, now);
    await runtime.api.audit.record({
      at: toIsoUtc(now),
      actor: toActor(auth.caller),
      action: 'POST /api/connections',
      outcome: answer.kind === 'link' ? 'linkIssued' : answer.kind,
      target: toConnectionKey(connection),
      ...(answer.kind === 'link' ? { linkId: answer.link.linkId } : {}),
    });
    return toLinkResponse(answer, connection);
  },
};
