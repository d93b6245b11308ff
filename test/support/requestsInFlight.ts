import type { TableClient } from '@azure/data-tables';

/** The most requests Table clients had in flight at once, all of them together, since the last `reset`. */
export interface RequestsInFlight {
  readonly most: number;
  reset(): void;
}

export function trackRequestsInFlight(...clients: TableClient[]): RequestsInFlight {
  let [now, most] = [0, 0];
  for (const client of clients)
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
