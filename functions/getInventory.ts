import { readInventory } from '../shared/adapters/storage/inventoryTable.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { problem } from './problem.js';

/** `GET /api/inventory`: the last inventory; names and counts only, never a secret value. */
export const getInventory: FunctionDefinition = {
  kind: 'http',
  name: 'getInventory',
  methods: ['GET'],
  authLevel: 'function',
  route: 'inventory',
  async handler(_request, _context, runtime) {
    const inventory = await readInventory(runtime.table('inventory'));
    if (!inventory) return problem(404, 'No inventory yet', 'The inventory timer has not completed a run yet.');
    return { status: 200, jsonBody: inventory };
  },
};
