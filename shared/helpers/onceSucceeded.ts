/**
 * Runs `action` until it has succeeded once, then hands out that result. Callers at the same time share
 * one attempt; a failed attempt is forgotten, so the next call tries again. For "create the table/queue
 * on first use": caching a rejected create would break the process until it restarts (issue 19).
 */
export function onceSucceeded<T>(action: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending) return pending;
    const attempt = action();
    pending = attempt;
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
    return attempt;
  };
}

/** `onceSucceeded` per key (e.g. one create per queue name). */
export function onceSucceededPerKey<T>(action: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const byKey = new Map<string, () => Promise<T>>();
  return (key) => {
    let once = byKey.get(key);
    if (!once) byKey.set(key, (once = onceSucceeded(() => action(key))));
    return once();
  };
}
