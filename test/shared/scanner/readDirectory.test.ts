import { describe, expect, it } from 'vitest';
import type { DirectoryChange } from '../../../shared/scanner/DirectoryObject.js';
import type { DirectoryPager, PageRead } from '../../../shared/scanner/DirectoryPager.js';
import { readDirectory, type Judge } from '../../../shared/scanner/readDirectory.js';
import { upcomingUntilMs } from '../../../shared/scanner/upcomingCrossings.js';
import { NOW, inDays, policy } from './scannerFixtures.js';

const judge: Judge = {
  context: { tenantId: 'tenant', portal: 'https://entra.microsoft.com', copyOf: () => undefined },
  intelligence: async () => ({ policies: { kind: 'unavailable', reason: 'not read in this test' }, federatedApps: new Set() }),
  keptInVault: () => false,
  policy,
  now: NOW,
  watched: new Set(),
  upcomingUntilMs: upcomingUntilMs(policy, NOW.toMillis()),
};

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
  it('reads the next page while the page before is stored, one page ahead, and stores them in order', async () => {
    const log: string[] = [];
    const stored: Array<() => void> = [];
    const pager: DirectoryPager = {
      async *read(): AsyncGenerator<PageRead> {
        for (let page = 1; page <= 3; page += 1) {
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
    // Page 1 is being stored; page 2 was read meanwhile, and waits for it before it is stored.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['read page 1', 'store App 1 (1 app)', 'read page 2']);
    stored.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.slice(3)).toEqual(['stored App 1', 'store App 2 (1 app)', 'read page 3']);
    stored.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    stored.shift()!();
    const read = await reading;
    expect(read).toMatchObject({ kind: 'read', applications: 3 });
    expect(log.slice(6)).toEqual(['stored App 2', 'store App 3 (1 app)', 'read done', 'stored App 3']);
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
