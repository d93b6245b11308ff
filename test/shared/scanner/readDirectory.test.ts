import { describe, expect, it } from 'vitest';
import type { DirectoryChange } from '../../../shared/scanner/DirectoryObject.js';
import type { DirectoryPager, PageRead } from '../../../shared/scanner/DirectoryPager.js';
import type { Finding } from '../../../shared/scanner/Finding.js';
import { readDirectory } from '../../../shared/scanner/readDirectory.js';
import { inDays, judge } from './scannerFixtures.js';

/** An application whose one secret ends in 5 days: a finding. */
const app = (i: number): DirectoryChange => ({
  kind: 'present',
  object: {
    kind: 'application',
    id: `object-${i}`,
    appId: `app-${i}`,
    displayName: `App ${i}`,
    passwordCredentials: [{ keyId: `key-${i}`, displayName: 'main', endDateTime: inDays(5) }],
    keyCredentials: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyEndDateTime: null,
  },
});

describe('reading the directory into a sink', () => {
  it('reads on while earlier pages are stored, at most two pages behind, and stores them in order', async () => {
    const log: string[] = [];
    const stored: Array<() => void> = [];
    const pager: DirectoryPager = {
      async *read(): AsyncGenerator<PageRead> {
        for (let page = 1; page <= 4; page += 1) {
          log.push(`read page ${page}`);
          yield { kind: 'page', changes: [app(page)] };
        }
        log.push('read done');
        yield { kind: 'done', links: undefined };
      },
    };
    const reading = readDirectory(pager, { mode: 'full' }, judge, async (found, page) => {
      log.push(`store ${found.map((f) => f.subjectName).join()} (${page.applications} app)`);
      await new Promise<void>((resolve) => stored.push(resolve));
      log.push(`stored ${found[0]!.subjectName}`);
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    // Page 1 is being stored and page 2 waits for it; page 3 was read meanwhile, and waits for a place.
    await settle();
    expect(log).toEqual(['read page 1', 'read page 2', 'store App 1 (1 app)', 'read page 3']);
    stored.shift()!();
    await settle();
    expect(log.slice(4)).toEqual(['stored App 1', 'store App 2 (1 app)', 'read page 4']);
    for (let page = 2; page <= 4; page += 1) {
      stored.shift()!();
      await settle();
    }
    expect(await reading).toMatchObject({ kind: 'read', applications: 4 });
    expect(log.slice(7)).toEqual([
      'stored App 2',
      'store App 3 (1 app)',
      'read done',
      'stored App 3',
      'store App 4 (1 app)',
      'stored App 4',
    ]);
  });

  it('shows every page to the observer as it is read, before the sink takes it, pages without findings too', async () => {
    const log: string[] = [];
    const quiet: DirectoryChange = { kind: 'removed', objectKind: 'application', id: 'object-gone' };
    const pager: DirectoryPager = {
      async *read(): AsyncGenerator<PageRead> {
        yield { kind: 'page', changes: [app(1), app(2)] };
        yield { kind: 'page', changes: [quiet] };
        yield { kind: 'page', changes: [app(3)] };
        yield { kind: 'done', links: undefined };
      },
    };
    const sink = async (found: Finding[]) => void log.push(`store ${found.length}`);
    const observe = (found: readonly Finding[], page: { applications: number }) =>
      void log.push(`observe ${found.length} of ${page.applications}`);
    await readDirectory(pager, { mode: 'full' }, judge, sink, observe);
    // A first scan's evidence is sampled from every page, while the pages' findings wait to be stored.
    expect(log.filter((line) => line.startsWith('observe'))).toEqual(['observe 2 of 2', 'observe 0 of 0', 'observe 1 of 1']);
    expect(log.indexOf('observe 2 of 2')).toBeLessThan(log.indexOf('store 2'));
  });

  it('fails with the store’s error, after no page is left being stored', async () => {
    const pager: DirectoryPager = {
      async *read(): AsyncGenerator<PageRead> {
        yield { kind: 'page', changes: [app(1)] };
        yield { kind: 'page', changes: [app(2)] };
        yield { kind: 'done', links: undefined };
      },
    };
    const sink = async () => {
      throw new Error('the table refused the batch');
    };
    await expect(readDirectory(pager, { mode: 'full' }, judge, sink)).rejects.toThrow('the table refused the batch');
  });
});
