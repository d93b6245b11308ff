import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { StorageTarget } from './StorageTarget.js';

export function createQueueClient(target: StorageTarget, queueName: string): QueueClient {
  if (target.kind === 'connectionString') return QueueServiceClient.fromConnectionString(target.connectionString).getQueueClient(queueName);
  return new QueueServiceClient(target.queueServiceUrl, target.credential).getQueueClient(queueName);
}

/**
 * The Functions queue trigger decodes messages as base64 (host.json `messageEncoding`), while the SDK
 * sends text as given: encode here or every message lands in the poison queue.
 */
export function toQueueMessage(body: unknown): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}
