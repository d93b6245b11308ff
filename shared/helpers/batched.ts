/**
 * One call of `all` at a time, with every key asked for while the call before ran: callers that come
 * together share one round trip (a read and a conditional write of one row, say), and each gets the
 * answer at its key's place. A failure fails that call's callers only.
 */
export function batched<K, V>(all: (keys: readonly K[]) => Promise<V[]>): (key: K) => Promise<V> {
  let waiting: Array<{ key: K; resolve: (value: V) => void; reject: (error: unknown) => void }> = [];
  let running = false;
  const pump = async () => {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const values = await all(batch.map((b) => b.key));
        batch.forEach((b, i) => b.resolve(values[i]!));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    running = false;
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      if (!running) void pump();
    });
}
