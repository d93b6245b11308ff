import { createNodeSender } from '../shared/adapters/http/sendOverNode.js';

const send = createNodeSender('Microsoft.Graph', 'vigil-bench');

/**
 * The least work a reader can do for the same pages: a plain GET with a token already in hand, parse each
 * page, follow nextLink. It sends over node:https's global agent, as Vigil's Graph client does
 * (NodeHttpMessageHandler), so a warm-up read leaves the scan a warm connection, as it did when both sent
 * over fetch; read over fetch, it warmed only undici's pool, and the scan's first page paid a TLS handshake
 * that the fetch client never did.
 */
export async function bareGraphRead(firstUrls: readonly string[], token: string, prefer: boolean, maxPages = Infinity): Promise<number> {
  let requests = 0;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(prefer ? { prefer: 'odata.maxpagesize=999' } : {}) };
  for (const first of firstUrls) {
    for (let url: string | undefined = first, pages = 0; url && pages < maxPages; requests += 1, pages += 1) {
      const answer = await send(url, { method: 'GET', headers, deadlineMs: 60_000 });
      if (answer.message.statusCode !== 200) throw new Error(`bare read: HTTP ${answer.message.statusCode} for ${url}`);
      url = (JSON.parse(answer.body.toString('utf8')) as { '@odata.nextLink'?: string })['@odata.nextLink'];
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
