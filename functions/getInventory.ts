import { readInventoryView } from '../shared/inventory/readInventoryView.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

/** `GET /api/inventory`: the last inventory with each vault's listing health; names and counts only, never a secret value. */
export const getInventory: FunctionDefinition = {
  kind: 'http',
  name: 'getInventory',
  methods: ['GET'],
  authLevel: 'function',
  route: 'inventory',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const view = await readInventoryView({
      store: runtime.inventory,
      vaultHealth: runtime.vaultHealth.store,
      vaultUrls: runtime.settings.VIGIL_KEY_VAULT_URLS,
    });
    if (!view) return problem(404, 'No inventory yet', 'Neither the inventory timer nor a planner has completed a run yet.');
    return { status: 200, jsonBody: view };
  },
};
