import type { TableClient } from '@azure/data-tables';

export interface StorageCounter {
  requests: number;
  rows: number;
  /** Requests awaited right now, and since when at least one was. */
  inFlight: number;
  awaitingSince: number;
  /** Time at least one storage request was awaited (overlapping requests count once). */
  awaitedMs: number;
  /** Requests by method and table (`PUT VigilScanState`; a transaction is `POST $batch`): where they go. */
  byKind: Record<string, number>;
}

export const newCounter = (): StorageCounter => ({ requests: 0, rows: 0, inFlight: 0, awaitingSince: 0, awaitedMs: 0, byKind: {} });

/**
 * Counts every Table Storage request a client makes, the entities it brings back (unless `rows` is
 * false: that parses each answer a second time, which a memory measurement must not), and the time
 * spent awaiting them.
 */
export function countRequests(client: TableClient, counter: StorageCounter, { rows: countRows = true } = {}): void {
  client.pipeline.addPolicy({
    name: 'benchRequestCounter',
    async sendRequest(request, next) {
      if (counter.inFlight++ === 0) counter.awaitingSince = performance.now();
      let response: Awaited<ReturnType<typeof next>>;
      try {
        response = await next(request);
      } finally {
        if (--counter.inFlight === 0) counter.awaitedMs += performance.now() - counter.awaitingSince;
        // Counted whether it succeeded or not: a read of a missing row (404) or a lost condition (412) is a request too.
        counter.requests += 1;
        const kind = `${request.method} ${new URL(request.url).pathname.split('/').filter(Boolean).at(-1)?.split('(')[0] ?? ''}`;
        counter.byKind[kind] = (counter.byKind[kind] ?? 0) + 1;
      }
      const rows =
        countRows && /"value":\[/.test(response.bodyAsText ?? '')
          ? (JSON.parse(response.bodyAsText!) as { value: unknown[] }).value.length
          : 0;
      counter.rows += rows;
      return response;
    },
  });
}
