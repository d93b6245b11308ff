import type { DirectoryPager, PageRead, ReadRequest } from './DirectoryPager.js';

/**
 * A pager whose read of `request` has already begun: Graph signs in and serves the first page while the
 * scan reads its own state (lease, last findings, vault index). The first `read` of that same request
 * continues it; any other read (a resync after a refused delta link) starts afresh. `abandon` closes a read
 * that will never be continued.
 */
export function startedPager(pager: DirectoryPager, request: ReadRequest): DirectoryPager & { abandon(): void } {
  const reads = pager.read(request)[Symbol.asyncIterator]();
  const first = reads.next();
  // If the scan fails before it reads, nobody awaits this; its failure must not surface as unhandled.
  first.catch(() => undefined);
  let continued = false;
  return {
    read(asked) {
      if (continued || asked !== request) return pager.read(asked);
      continued = true;
      return resume(first, reads);
    },
    /** The scan will not read (its lease went to another holder): the begun read is closed, its first answer dropped. */
    abandon() {
      if (continued) return;
      continued = true;
      void first.finally(() => reads.return?.()).catch(() => undefined);
    },
  };
}

async function* resume(first: Promise<IteratorResult<PageRead>>, reads: AsyncIterator<PageRead>): AsyncGenerator<PageRead> {
  try {
    for (let next = await first; !next.done; next = await reads.next()) yield next.value;
  } finally {
    // A reader that stops early closes the underlying read too, as `for await` would have.
    await reads.return?.();
  }
}
