import { DateTime } from 'luxon';
import { recordInventory } from '../shared/inventory/recordInventory.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/** Lists what Vigil can see in its vaults and tenants, and keeps the result for the read API. */
export const inventoryTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'inventoryTimer',
  schedule: '%VIGIL_INVENTORY_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('inventoryTimer is running late; one run covers the missed ones.');
    const inventory = await recordInventory(
      { vaults: runtime.vaults, directories: runtime.directories, store: runtime.inventory },
      DateTime.utc(),
    );
    const unchecked = [...inventory.vaults, ...inventory.tenants].filter((s) => s.outcome.kind === 'unchecked');
    context.log(
      `inventory: ${inventory.vaults.length} vault(s), ${inventory.tenants.length} tenant(s), ${unchecked.length} could not be checked`,
    );
    await reportRun(runtime, 'inventory', unchecked.length === 0 ? 'completed' : 'unchecked', (line) => context.warn(line));
    for (const source of unchecked)
      context.warn(
        `could not check ${'vaultUrl' in source ? source.vaultUrl : source.tenantId}: ${source.outcome.kind === 'unchecked' ? source.outcome.reason : ''}`,
      );
  },
};
