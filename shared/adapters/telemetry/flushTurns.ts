import { batched } from '../../helpers/batched.js';

/**
 * `flush`, started only once the one before it has ended (calls while one runs share the next): OpenTelemetry's log
 * processor returns at once from a flush asked for while its own runs (@opentelemetry/sdk-logs 0.218.0,
 * build/src/export/BatchLogRecordProcessorBase.js lines 141–145), leaving the records to its timer, which a frozen
 * instance never runs. Its own still runs as the next batch starts only if that batch's deadline passed first. One
 * that has not ended after `mostMs` (its exporter's own flush hung) is no longer waited for, and rejects; so does
 * every call until it ends, at once (the processor would return at once, its records left buffered, and say nothing):
 * the calls waiting their turn are those of at most `mostMs`, however many batches come.
 */
export function afterTheLast(flush: () => Promise<void>, mostMs: number): () => Promise<void> {
  let hung = false;
  const together = batched<void, void>(async (callers) => {
    if (hung) throw new Error(`the log flush before has not ended after ${mostMs} ms`);
    const flushing = flush();
    const [ended] = await verdictsWithin([flushing.then(() => true)], mostMs);
    if (!ended) {
      hung = true;
      // Over once it ends. Not if it rejects: the processor's flush rejects only when its exporter's own flush does,
      // outside its try (BatchLogRecordProcessorBase.js line 156), which leaves it flushing for good, every later
      // flush returning at once with its records buffered; so every later call is told so.
      void flushing.then(
        () => (hung = false),
        () => undefined,
      );
      throw new Error(`the log flush failed or had not ended after ${mostMs} ms`);
    }
    return callers.map(() => undefined);
  });
  return () => together();
}

/**
 * What each of `works` settles to: false for one that rejects or has not settled once `ms` have passed (not waited
 * for past them; one timer for all). It never rejects.
 */
export async function verdictsWithin(works: Array<Promise<boolean>>, ms: number): Promise<boolean[]> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: a process with nothing else to do would exit before the warning the give-up says.
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.all(works.map((work) => Promise.race([work.catch(() => false), expired])));
  } finally {
    clearTimeout(timer);
  }
}
