import { readInventory } from '../shared/adapters/storage/inventoryTable.js';
import { authorize } from './authorize.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

/** `GET /api/inventory`: the last inventory; names and counts only, never a secret value. */
export const getInventory: FunctionDefinition = {
  kind: 'http',
  name: 'getInventory',
  methods: ['GET'],
  authLevel: 'function',
  route: 'inventory',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const inventory = await readInventory(runtime.table('inventory'));
    if (!inventory) return problem(404, 'No inventory yet', 'The inventory timer has not completed a run yet.');
    return { status: 200, jsonBody: inventory };
  },
};
