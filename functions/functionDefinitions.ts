import type { FunctionDefinition } from './FunctionDefinition.js';
import { getInventory } from './getInventory.js';
import { inventoryTimer } from './inventoryTimer.js';

/** Every function Vigil has, in one list for both the Functions host and the local dev host. */
export const functionDefinitions: FunctionDefinition[] = [inventoryTimer, getInventory];
