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
    // Every tenant's findings are read only when a connection's client secret has no linked finding yet.
    const needsLookup = list.some((s) => !linkedFindingOf(s) && s.clientSecret?.appId);
    const findings = needsLookup ? await runtime.scanner.findings.listAll() : [];
    const connections = list
      .map((s) => toConnectionView(s, policy, (appId, keyId) => linkedFindingIn(findings, appId, keyId, Date.now())))
      .sort((a, b) => a.vaultUrl.localeCompare(b.vaultUrl) || a.name.localeCompare(b.name));
    return { status: 200, jsonBody: { count: connections.length, connections } };
  },
};
