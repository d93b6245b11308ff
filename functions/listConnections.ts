import { linkedFindingIn } from '../shared/intelligence/clientSecretFindings.js';
import { toConnectionView } from '../shared/tokens/toConnectionView.js';
import { linkedFindingOf } from '../shared/tokens/ConnectionState.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/** `GET /api/connections`: every token connection Vigil has attempted or found misconfigured; never a secret value. Needs Vigil.Read. */
export const listConnections: FunctionDefinition = {
  kind: 'http',
  name: 'listConnections',
  methods: ['GET'],
  authLevel: 'function',
  route: 'connections',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const { states, policy } = runtime.tokenKeeper;
    const list = await states.list();
    // A connection's client secret with no linked finding yet is looked up by its app id: one partition per app.
    const appIds = new Set(list.flatMap((s) => (!linkedFindingOf(s) && s.clientSecret?.appId ? [s.clientSecret.appId.toLowerCase()] : [])));
    const ofApp = new Map(await Promise.all([...appIds].map(async (id) => [id, await runtime.scanner.findings.ofApp(id)] as const)));
    const connections = list
      .map((s) =>
        toConnectionView(s, policy, (appId, keyId) => linkedFindingIn(ofApp.get(appId.toLowerCase()) ?? [], appId, keyId, Date.now())),
      )
      .sort((a, b) => a.vaultUrl.localeCompare(b.vaultUrl) || a.name.localeCompare(b.name));
    return { status: 200, jsonBody: { count: connections.length, connections } };
  },
};
