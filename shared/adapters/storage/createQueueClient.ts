import { AnonymousCredential, QueueServiceClient, StorageSharedKeyCredential, newPipeline, type QueueClient } from '@azure/storage-queue';
import { onceSucceeded } from '../../helpers/onceSucceeded.js';
import type { StorageTarget } from './StorageTarget.js';
import { queueTimeoutFactory, storageRequestLimits, type StorageRequestLimits } from './storageRequestLimits.js';

/**
 * A client for one queue with bounded tries (storageRequestLimits). The Queue SDK takes its timeout
 * policy only when the pipeline is built, so the connection string is read by the SDK first (account,
 * key or SAS, endpoint) and a pipeline with the policy is built from what it found.
 */
export function createQueueClient(
  target: StorageTarget,
  queueName: string,
  limits: StorageRequestLimits = storageRequestLimits,
): QueueClient {
  const options = {
    retryOptions: {
      maxTries: limits.maxRetries + 1,
      retryDelayInMs: limits.retryDelayMs,
      maxRetryDelayInMs: limits.maxRetryDelayMs,
    },
  };
  const parsed =
    target.kind === 'connectionString'
      ? fromConnectionString(target.connectionString)
      : { url: target.queueServiceUrl, credential: target.credential };
  const pipeline = newPipeline(parsed.credential, options);
  pipeline.factories.push(queueTimeoutFactory(limits));
  return new QueueServiceClient(parsed.url, pipeline).getQueueClient(queueName);
}

/** Azurite's documented development key (public, the same on every machine), for `UseDevelopmentStorage=true`. */
const DEVELOPMENT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The SDK reads the endpoint (with a SAS, if any) from every documented form; only the key is read here. */
function fromConnectionString(connectionString: string): { url: string; credential: StorageSharedKeyCredential | AnonymousCredential } {
  const { url, accountName } = QueueServiceClient.fromConnectionString(connectionString);
  const key =
    /(?:^|;)\s*AccountKey=([^;]+)/i.exec(connectionString)?.[1] ??
    (/UseDevelopmentStorage=true/i.test(connectionString) ? DEVELOPMENT_KEY : undefined);
  return { url, credential: key ? new StorageSharedKeyCredential(accountName, key) : new AnonymousCredential() };
}

/** Creates the queue on first use, once per client; a create that failed is tried again next time. */
export function ensureQueue(queue: QueueClient): () => Promise<void> {
  return onceSucceeded(async () => void (await queue.createIfNotExists()));
}

/**
 * The Functions queue trigger decodes messages as base64 (host.json `messageEncoding`), while the SDK
 * sends text as given: encode here or every message lands in the poison queue.
 */
export function toQueueMessage(body: unknown): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}
