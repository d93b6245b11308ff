/** Awaits an answer from the item's own source (a vault, a service): the only waits that count towards its stall. */
export type FromSource = <R>(answer: Promise<R>) => Promise<R>;

/**
 * Runs `run` over `items` one after another. An item whose answer (awaited through `fromSource`) takes
 * `stallMs` gives its turn to the next one early and goes on beside it; one that ends or fails gives it at
 * once. The next item also waits for the one before the stalled one to end: at most two run at once.
 */
export function inTurnUnlessStalled<S, T>(
  items: readonly S[],
  stallMs: number,
  run: (item: S, fromSource: FromSource) => Promise<T>,
): Array<Promise<T>> {
  const ignore = () => undefined;
  let turn = Promise.resolve();
  let previousEnded = Promise.resolve();
  return items.map((item) => {
    const mine = turn;
    let handOn = () => undefined as void;
    const handedOn = new Promise<void>((resolve) => (handOn = resolve));
    const ran = mine.then(async () => {
      const fromSource: FromSource = async (answer) => {
        const stalled = setTimeout(handOn, stallMs);
        try {
          return await answer;
        } finally {
          clearTimeout(stalled);
        }
      };
      try {
        return await run(item, fromSource);
      } finally {
        handOn();
      }
    });
    turn = Promise.all([handedOn, previousEnded]).then(ignore);
    previousEnded = ran.then(ignore, ignore);
    return ran;
  });
}
