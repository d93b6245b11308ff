import { TENANT } from './testScenario.js';

/**
 * An admin-API fault rule on the local Entra's token endpoint (`POST /{tenant}/oauth2/v2.0/token`):
 * answer `status` (with `Retry-After` when given) to the next `times` token requests.
 */
export function tokenEndpointFault(status: number, times: number, retryAfterSeconds?: number) {
  return {
    service: 'entra',
    path: `^/${TENANT}/oauth2/v2.0/token$`,
    method: 'POST',
    action: { kind: 'status', status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
    times,
  };
}
