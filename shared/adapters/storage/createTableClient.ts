import { TableClient } from '@azure/data-tables';
import type { StorageTarget } from './StorageTarget.js';

/** A client for one table; `allowInsecureConnection` only for an http:// Azurite endpoint. */
export function createTableClient(target: StorageTarget, tableName: string): TableClient {
  if (target.kind === 'connectionString') {
    const insecure = /TableEndpoint=http:|UseDevelopmentStorage=true/i.test(target.connectionString);
    return TableClient.fromConnectionString(target.connectionString, tableName, { allowInsecureConnection: insecure });
  }
  return new TableClient(target.tableServiceUrl, tableName, target.credential);
}
