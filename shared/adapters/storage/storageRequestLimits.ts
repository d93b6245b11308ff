import type { TableClient } from '@azure/data-tables';
import type { RequestPolicyFactory } from '@azure/storage-queue';

type PipelinePolicy = Parameters<TableClient['pipeline']['addPolicy']>[0];

/**
 * How long Vigil waits for Table and Queue storage. Without a client timeout a hung request holds
 * whatever lease its caller has until the function itself times out (issue 19): each try is cut off
 * after `tryTimeoutMs`, and the SDKs' own retries of refusals and resets are capped, so one call takes
 * at most about `(maxRetries + 1) × tryTimeoutMs` plus the back-off between tries (under a minute).
 * A timed-out try fails the call at once (the SDKs do not retry their own timeouts).
 */
export interface StorageRequestLimits {
  tryTimeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/** Storage answers in milliseconds; ten seconds is a hung request, not a slow one. */
export const storageRequestLimits: StorageRequestLimits = {
  tryTimeoutMs: 10_000,
  maxRetries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 4_000,
};

/** Sets the per-try timeout on a Table request (`request.timeout`, honoured by the SDK's HTTP client). */
export function tableTimeoutPolicy(limits: StorageRequestLimits): PipelinePolicy {
  return {
    name: 'vigilStorageTimeout',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = limits.tryTimeoutMs;
      return next(request);
    },
  };
}

/** The same for the Queue SDK, whose pipeline takes core-http style factories. */
export function queueTimeoutFactory(limits: StorageRequestLimits): RequestPolicyFactory {
  return {
    create: (next) => ({
      sendRequest(resource) {
        if (!resource.timeout) resource.timeout = limits.tryTimeoutMs;
        return next.sendRequest(resource);
      },
    }),
  };
}
