import { describe, expect, it } from 'vitest';
import type { DirectoryPager, PageRead, ReadRequest } from '../../../shared/scanner/DirectoryPager.js';
import { startedPager } from '../../../shared/scanner/startedPager.js';

/** A pager that records when each page is asked for, and whether a read was closed early. */
function recordingPager(pages: number) {
  const asked: string[] = [];
  let closed = 0;
  const pager: DirectoryPager = {
    read(request) {
      return (async function* (): AsyncGenerator<PageRead> {
        try {
          for (let i = 1; i <= pages; i++) {
            asked.push(`${request.mode} page ${i}`);
            yield { kind: 'page', changes: [] };
          }
          yield { kind: 'done' };
        } finally {
          closed += 1;
        }
      })();
    },
  };
  return { pager, asked, closed: () => closed };
}

const collect = async (reads: AsyncIterable<PageRead>) => {
  const kinds: string[] = [];
  for await (const read of reads) kinds.push(read.kind);
  return kinds;
};

describe('startedPager', () => {
  it('asks for the first page at once, and hands every page on once when read', async () => {
    const { pager, asked } = recordingPager(2);
    const request: ReadRequest = { mode: 'full' };

    const started = startedPager(pager, request);
    await Promise.resolve();
    expect(asked).toEqual(['full page 1']);

    expect(await collect(started.read(request))).toEqual(['page', 'page', 'done']);
    expect(asked).toEqual(['full page 1', 'full page 2']);
  });

  it('starts afresh for any other read, such as the resync after a refused delta link', async () => {
    const { pager, asked } = recordingPager(1);
    const delta: ReadRequest = { mode: 'delta', links: { applications: 'a', servicePrincipals: 's' } };
    const started = startedPager(pager, delta);

    expect(await collect(started.read({ mode: 'initial' }))).toEqual(['page', 'done']);
    expect(asked).toEqual(['delta page 1', 'initial page 1']);
  });

  it('closes the underlying read when the reader stops early', async () => {
    const { pager, closed } = recordingPager(3);
    const request: ReadRequest = { mode: 'initial' };
    for await (const read of startedPager(pager, request).read(request)) if (read.kind === 'page') break;
    expect(closed()).toBe(1);
  });
});
