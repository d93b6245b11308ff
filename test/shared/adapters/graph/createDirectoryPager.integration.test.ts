import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../local/cloud/scenario/scenarioSchema.js';
import { createVigilFaultLog } from '../../../../shared/adapters/http/createVigilFaultLog.js';
import { createDirectoryPager } from '../../../../shared/adapters/graph/createDirectoryPager.js';
import { startTestStack, type TestStack } from '../../../support/startTestStack.js';
import { TENANT, vigilScannerApp } from '../../../support/testScenario.js';

/** Pages this small give each collection (the apps, their service principals) several pages. */
const PAGE_SIZE = 5;

function tenantOf(apps: number): Scenario {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        applications: [vigilScannerApp(), ...Array.from({ length: apps }, (_, i) => ({ displayName: `App ${i}` }))],
      },
    ],
    vaults: [{ name: 'pager-vault', tenant: TENANT, allowedApps: ['Vigil'] }],
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ scenario: tenantOf(20) });
});
afterAll(async () => stack.stop());

/** Judging a page as the scanner may: work chained on promises that never waits for I/O, `ms` long. */
async function judgeWithoutIo(ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) await Promise.resolve();
}

describe('the directory pager', () => {
  it('has the next page asked for (its request sent) before the scanner judges this one', async () => {
    // node:http says a request started as its headers are written out ('http.client.request.start').
    const sent: string[] = [];
    const onSent = (message: unknown) => {
      const { path } = (message as { request: ClientRequest }).request;
      if (/^\/v1\.0\/(applications|servicePrincipals)\?/.test(path)) sent.push(path);
    };
    subscribe('http.client.request.start', onSent);
    try {
      const runtime = stack.runtime;
      const tenant = runtime.scanner.tenants[0]!;
      const warnings: string[] = [];
      const pager = createDirectoryPager({
        connect: () => runtime.scanner.clients.connect(tenant),
        sleep: async () => undefined,
        pageSize: PAGE_SIZE,
        vigilFaultLog: createVigilFaultLog((line) => warnings.push(line)),
      });
      const sentWhenJudged: number[] = [];
      let pages = 0;
      for await (const read of pager.read({ mode: 'full' })) {
        if (read.kind !== 'page') continue;
        pages += 1;
        await judgeWithoutIo(30);
        sentWhenJudged.push(sent.length);
      }
      // Each collection's first page asked at once; then, by the time a page is judged, the next one of its
      // collection too: at least three by the first page's judgement, where before only the first two had left.
      expect(pages).toBeGreaterThan(4);
      expect(sentWhenJudged[0]).toBeGreaterThanOrEqual(3);
      expect(sent).toHaveLength(pages);
      expect(warnings).toEqual([]);
    } finally {
      unsubscribe('http.client.request.start', onSent);
    }
  });
});
