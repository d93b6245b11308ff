/**
 * The least work a reader can do for the same pages: plain fetch with a token already in hand, parse
 * each page, follow nextLink. Its time against the same local Graph is the service floor the scanner's
 * wall time is compared with when the limits themselves would allow more.
 */
export async function bareGraphRead(firstUrls: readonly string[], token: string, prefer: boolean, maxPages = Infinity): Promise<number> {
  let requests = 0;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(prefer ? { prefer: 'odata.maxpagesize=999' } : {}) };
  for (const first of firstUrls) {
    for (let url: string | undefined = first, pages = 0; url && pages < maxPages; requests += 1, pages += 1) {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new Error(`bare read: HTTP ${response.status} for ${url}`);
      url = ((await response.json()) as { '@odata.nextLink'?: string })['@odata.nextLink'];
    }
  }
  return requests;
}

/** Runs `work` for each item with at most `concurrency` at once. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
