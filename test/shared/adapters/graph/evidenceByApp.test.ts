import { describe, expect, it } from 'vitest';
import type { PageFetcher, PageResult } from '../../../../shared/adapters/graph/createPageFetcher.js';
import { readOwners } from '../../../../shared/adapters/graph/readDirectoryExtras.js';
import { readUsageReport } from '../../../../shared/adapters/graph/readUsageReport.js';

const ORIGIN = 'https://graph.microsoft.com';

/** A Graph that answers each request after the test lets it, counting how many wait at once. */
function slowGraph(answer: (url: string) => unknown[]): { fetcher: PageFetcher; urls: string[]; mostAtOnce: () => number } {
  const urls: string[] = [];
  let inFlight = 0;
  let most = 0;
  const fetcher: PageFetcher = {
    async get(url): Promise<PageResult> {
      urls.push(decodeURIComponent(url));
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { kind: 'ok', body: { value: answer(decodeURIComponent(url)) } };
    },
  };
  return { fetcher, urls, mostAtOnce: () => most };
}

const ids = Array.from({ length: 60 }, (_, i) => `app-${String(i).padStart(2, '0')}`);

describe('evidence read by app', () => {
  it('asks for owners 15 apps a request, a few requests at once, and keeps every answer', async () => {
    const graph = slowGraph((url) =>
      ids
        .filter((id) => url.includes(`'${id}'`))
        .map((id) => ({ id, owners: [{ '@odata.type': '#microsoft.graph.user', mail: `${id}@contoso.com` }] })),
    );
    const owners = await readOwners(graph.fetcher, ORIGIN, ids);
    expect(graph.urls).toHaveLength(4);
    expect(graph.mostAtOnce()).toBe(4);
    expect(owners?.size).toBe(60);
    expect(owners?.get('app-59')).toEqual(['app-59@contoso.com']);
  });

  it('asks the usage report whether it takes `in` first, then the other requests at once', async () => {
    const graph = slowGraph(() => []);
    const usage = await readUsageReport(graph.fetcher, ORIGIN, ids);
    expect(usage.kind).toBe('read');
    expect(graph.urls).toHaveLength(4);
    expect(graph.urls[0]).toContain("appId in ('app-00'");
    expect(graph.mostAtOnce()).toBe(3);
  });

  it('stops asking once Graph refuses: a tenant without the licence or permission sends one doomed request, not one per 15 apps', async () => {
    const urls: string[] = [];
    const refusing: PageFetcher = {
      async get(url): Promise<PageResult> {
        urls.push(url);
        return {
          kind: 'failed',
          failure: { code: 'forbidden', reason: 'Graph refused (HTTP 403 Authorization_RequestDenied)' },
          status: 403,
        };
      },
    };
    const usage = await readUsageReport(refusing, ORIGIN, ids);
    expect(usage.kind).toBe('unavailable');
    expect(urls).toHaveLength(1);
    urls.length = 0;
    const many = Array.from({ length: 300 }, (_, i) => `app-${i}`);
    expect(await readOwners(refusing, ORIGIN, many)).toBeUndefined();
    // The first few go at once; none is started after the first refusal is in.
    expect(urls.length).toBeLessThanOrEqual(4);
  });
});
