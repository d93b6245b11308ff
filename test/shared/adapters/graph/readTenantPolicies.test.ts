import { describe, expect, it } from 'vitest';
import type { PageFetcher, PageResult } from '../../../../shared/adapters/graph/createPageFetcher.js';
import { readTenantPolicies } from '../../../../shared/adapters/graph/readTenantPolicies.js';

const ORIGIN = 'https://graph.microsoft.com';
const restrictions = { passwordCredentials: [{ restrictionType: 'passwordLifetime', maxLifetime: 'P90D' }] };

/** A Graph whose every answer takes one round of 5 ms: the rounds a read takes are the answers it waited for one after another. */
function graphOf(answer: (path: string) => unknown): { fetcher: PageFetcher; rounds: () => number } {
  let round = 0;
  let inRound: Promise<void> | undefined;
  const fetcher: PageFetcher = {
    async get(url): Promise<PageResult> {
      // Requests sent while a round is under way join it; the first after it starts the next.
      inRound ??= new Promise<void>((resolve) =>
        setTimeout(() => {
          round += 1;
          inRound = undefined;
          resolve();
        }, 5),
      );
      await inRound;
      return { kind: 'ok', body: answer(new URL(url).pathname) };
    },
  };
  return { fetcher, rounds: () => round };
}

describe("reading a tenant's app management policies", () => {
  it('asks for the default and the assigned policies at once, then whom the enabled ones apply to at once: two round trips', async () => {
    const graph = graphOf((path) => {
      if (path.endsWith('/defaultAppManagementPolicy')) return { isEnabled: true, applicationRestrictions: restrictions };
      if (path.endsWith('/appManagementPolicies'))
        return {
          value: [
            { id: 'p1', displayName: 'Short secrets', isEnabled: true, restrictions },
            { id: 'p2', displayName: 'Off', isEnabled: false, restrictions },
            { id: 'p3', displayName: 'Shorter secrets', isEnabled: true, restrictions },
          ],
        };
      return { value: path.includes('/p1/') ? [{ id: 'APP-1' }] : [{ id: 'app-3' }] };
    });
    const policies = await readTenantPolicies(graph.fetcher, ORIGIN);
    expect(graph.rounds()).toBe(2);
    expect(policies).toMatchObject({ kind: 'read', tenantDefault: { name: "the tenant's default app management policy" } });
    const byObjectId = policies.kind === 'read' ? policies.byObjectId : new Map();
    expect([...byObjectId].map(([id, p]: [string, { name: string }]) => [id, p.name])).toEqual([
      ['app-1', 'app management policy "Short secrets"'],
      ['app-3', 'app management policy "Shorter secrets"'],
    ]);
  });

  it('takes one round trip where no policy is enabled', async () => {
    const graph = graphOf((path) => (path.endsWith('/defaultAppManagementPolicy') ? { isEnabled: false } : { value: [] }));
    expect(await readTenantPolicies(graph.fetcher, ORIGIN)).toMatchObject({ kind: 'read', tenantDefault: null });
    expect(graph.rounds()).toBe(1);
  });
});
