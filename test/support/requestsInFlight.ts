import type { TableClient } from '@azure/data-tables';

/** The most requests a Table client had in flight at once since the last `reset`. */
export interface RequestsInFlight {
  readonly most: number;
  reset(): void;
}

export function trackRequestsInFlight(client: TableClient): RequestsInFlight {
  let [now, most] = [0, 0];
  client.pipeline.addPolicy({
    name: 'requestsInFlight',
    async sendRequest(request, next) {
      most = Math.max(most, ++now);
      try {
        return await next(request);
      } finally {
        now -= 1;
      }
    },
  });
  return {
    get most() {
      return most;
    },
    reset: () => void (most = now),
  };
}
