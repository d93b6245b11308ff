import type { Client } from '@microsoft/microsoft-graph-client';
import type { DirectoryReader } from '../../inventory/InventoryPorts.js';
import { describeError } from '../../helpers/describeError.js';

interface Page {
  value: unknown[];
  '@odata.nextLink'?: string;
}

/** Counts a tenant's app registrations and service principals by paging with the smallest `$select`. */
export function createDirectoryReader(tenantId: string, graph: Client): DirectoryReader {
  const count = async (collection: string): Promise<number> => {
    try {
      return await countPages(collection);
    } catch (error) {
      throw new Error(`Graph /${collection} in ${tenantId}: ${describeError(error)}`);
    }
  };
  const countPages = async (collection: string): Promise<number> => {
    let total = 0;
    let page = (await graph.api(`/${collection}`).select('id').top(999).get()) as Page;
    for (;;) {
      total += page.value.length;
      const next = page['@odata.nextLink'];
      if (!next) return total;
      page = (await graph.api(next).get()) as Page;
    }
  };
  return { tenantId, countApplications: () => count('applications'), countServicePrincipals: () => count('servicePrincipals') };
}
