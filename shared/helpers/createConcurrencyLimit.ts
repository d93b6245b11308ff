/**
 * At most `max` holders at once; the rest wait in order, and a freed slot goes straight to the next.
 * Call it with a task to run it in a slot, or `acquire()` a slot to hold across steps that are not one task
 * (the mail sender's place, from its send decision to the end of its send).
 */
export interface ConcurrencyLimit {
  <T>(task: () => Promise<T>): Promise<T>;
  /** Waits for a slot and resolves with the function that frees it; freeing twice frees once. */
  acquire(): Promise<() => void>;
}

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  const acquire = async () => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    let held = true;
    return () => {
      if (held) release();
      held = false;
    };
  };
  const limit = async <T>(task: () => Promise<T>): Promise<T> => {
    const free = await acquire();
    try {
      return await task();
    } finally {
      free();
    }
  };
  return Object.assign(limit, { acquire });
}
