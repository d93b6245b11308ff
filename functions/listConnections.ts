import { PAGE_SIZE, pageQuerySchema } from '../shared/paging/pageQuerySchema.js';
import { pageSorted } from '../shared/paging/pageSorted.js';
import { linkedFindingIn } from '../shared/intelligence/clientSecretFindings.js';
import { toConnectionView, type ConnectionsPage } from '../shared/tokens/toConnectionView.js';
import { linkedFindingOf } from '../shared/tokens/ConnectionState.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { nextLinkOf, readPage } from './paging.js';
import { parseQuery } from './parseQuery.js';

/** Connections in the order the list shows them: by vault, then name (both as Key Vault compares them, without case). */
const orderKey = (s: { vaultUrl: string; name: string }) => `${s.vaultUrl.replace(/\/+$/, '').toLowerCase()}\n${s.name.toLowerCase()}`;

/**
 * `GET /api/connections[?$top=&$skipToken=]`: every token connection Vigil has attempted or found
 * misconfigured, by vault and name, a page at a time (`value`, `nextLink` while more follow); never a
 * secret value. Needs Vigil.Read.
 */
export const listConnections: FunctionDefinition = {
  kind: 'http',
  name: 'listConnections',
  methods: ['GET'],
  authLevel: 'function',
  route: 'connections',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const query = parseQuery(request, pageQuerySchema);
    if (!query.ok) return query.response;
    const { states, policy } = runtime.tokenKeeper;
    const list = await states.list();
    const read = await readPage(() =>
      pageSorted(list, orderKey, { list: 'connections' }, { size: query.value.$top ?? PAGE_SIZE.default, after: query.value.$skipToken }),
    );
    if (!read.ok) return read.response;
    // A connection's client secret with no linked finding yet is looked up by its app id: one key range per app.
    const appIds = new Set(
      read.page.items.flatMap((s) => (!linkedFindingOf(s) && s.clientSecret?.appId ? [s.clientSecret.appId.toLowerCase()] : [])),
    );
    const ofApp = new Map(await Promise.all([...appIds].map(async (id) => [id, await runtime.scanner.findings.ofApp(id)] as const)));
    const value = read.page.items.map((s) =>
      toConnectionView(s, policy, (appId, keyId) => linkedFindingIn(ofApp.get(appId.toLowerCase()) ?? [], appId, keyId, Date.now())),
    );
    return { status: 200, jsonBody: { value, ...nextLinkOf(request.url, read.page.next) } satisfies ConnectionsPage };
  },
};
