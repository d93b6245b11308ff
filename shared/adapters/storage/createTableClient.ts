import { TableClient } from '@azure/data-tables';
import type { StorageTarget } from './StorageTarget.js';
import { storageRequestLimits, tableTimeoutPolicy, type StorageRequestLimits } from './storageRequestLimits.js';

/** A client for one table with bounded tries (storageRequestLimits); `allowInsecureConnection` only for an http:// Azurite endpoint. */
export function createTableClient(
  target: StorageTarget,
  tableName: string,
  limits: StorageRequestLimits = storageRequestLimits,
): TableClient {
  const retryOptions = { maxRetries: limits.maxRetries, retryDelayInMs: limits.retryDelayMs, maxRetryDelayInMs: limits.maxRetryDelayMs };
  const client =
    target.kind === 'connectionString'
      ? TableClient.fromConnectionString(target.connectionString, tableName, {
          allowInsecureConnection: /TableEndpoint=http:|UseDevelopmentStorage=true/i.test(target.connectionString),
          retryOptions,
        })
      : new TableClient(target.tableServiceUrl, tableName, target.credential, { retryOptions });
  client.pipeline.addPolicy(tableTimeoutPolicy(limits));
  return client;
}
