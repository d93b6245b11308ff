import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../shared/tokens/ConnectionState.js';
import type { RefreshMessage } from '../../../shared/tokens/RefreshMessage.js';
import type { ConnectionStateStore, SecretListing, StoredConnectionRow, TokenVault } from '../../../shared/tokens/TokenPorts.js';
import { BATCHES_AHEAD, scheduleRefreshes, type PlannerDeps } from '../../../shared/tokens/scheduleRefreshes.js';
import { goodTags, policy, TENANT_ID, VAULT_URL } from './tokenTestData.js';

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
  vi.useRealTimers();
});

/**
 * A vault stalls when a page keeps it waiting `vaultStallMs` on the timers' clock; the tests about stalls run on that
 * clock faked, with the pages' and the queue's round trips on it too, so a busy machine changes neither what a wait
 * covers nor which timer comes first: on real time a timer and its callbacks can come hundreds of ms late, so a check
 * after a real sleep could see the planner halfway, and a starved process could see a 1 ms page answer after the
 * 30 ms stall.
 */
const onFakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const listing = (name: string): SecretListing => ({ name, version: 'v1', tags: goodTags(), enabled: true, createdOn: undefined });

/**
 * A vault that lists its secrets a page of 25 at a time, each page after a round trip; `failAfter` pages, then
 * the listing fails; `answer` holds a page's round trip until it resolves.
 */
function vault(
  vaultUrl: string,
  names: readonly string[],
  hooks: { listed?: () => void; failAfter?: number; page?: (page: number) => void; answer?: (page: number) => Promise<void> } = {},
): TokenVault {
  const refuse = () => Promise.reject(new Error('not used by the planner'));
  return {
    vaultUrl,
    async *list(): AsyncIterable<SecretListing> {
      try {
        for (let page = 0; page * 25 < names.length; page += 1) {
          await tick();
          await hooks.answer?.(page);
          if (hooks.failAfter === page) throw new Error('403 Forbidden');
          hooks.page?.(page);
          yield* names.slice(page * 25, page * 25 + 25).map(listing);
        }
      } finally {
        hooks.listed?.();
      }
    },
    read: refuse,
    forget: () => undefined,
    writeVersion: refuse,
    updateTags: refuse,
    listVersions: refuse,
    disableVersion: refuse,
  };
}

const healthy = (vaultUrl: string, name: string): ConnectionState => ({
  vaultUrl,
  name,
  status: 'healthy',
  consecutiveFailures: 0,
  lastSuccess: NOW.minus({ hours: 2 }).toISO()!,
  nextAttemptAt: NOW.plus({ hours: 22 }).toISO()!,
});
const row = (vaultUrl: string, name: string, leasedUntil?: string): StoredConnectionRow => ({
  ref: { vaultUrl, name },
  row: { version: `etag-${name}`, state: healthy(vaultUrl, name) },
  leasedUntil,
});

/** A state table that serves rows a vault at a time, records what was read, and refuses to read every row at once. */
function stateTable(rows: readonly StoredConnectionRow[]) {
  const read: string[] = [];
  const forgotten: string[] = [];
  const store: ConnectionStateStore = {
    list: () => Promise.reject(new Error('the planner read every connection at once')),
    async listVaultRows(vaultUrl) {
      read.push(vaultUrl);
      return rows.filter((r) => new URL(r.ref.vaultUrl).host === new URL(vaultUrl).host);
    },
    forget: (ref, version) => (forgotten.push(`${new URL(ref.vaultUrl).host}/${ref.name}@${version}`), Promise.resolve(true)),
    get: () => Promise.reject(new Error('unused')),
    saveUnleased: () => Promise.resolve(true),
  };
  return { store, read, forgotten };
}

function plannerDeps(stores: TokenVault[], states: ConnectionStateStore, sent: RefreshMessage[] = []): PlannerDeps {
  return {
    stores,
    vaultHealth: { record: async () => [] },
    states,
    queue: { send: async (messages) => void sent.push(...messages) },
    events: { publish: () => Promise.resolve() },
    policy,
    homeTenantId: TENANT_ID,
  };
}

describe('scheduleRefreshes', () => {
  it('fails the run, without an unhandled rejection, when the state table fails before the vaults are listed', async () => {
    process.on('unhandledRejection', onUnhandled);
    const states: ConnectionStateStore = {
      ...stateTable([]).store,
      async listVaultRows() {
        await tick();
        throw new Error('Table storage is unreachable');
      },
    };
    await expect(scheduleRefreshes(plannerDeps([vault(VAULT_URL, ['cerb-mailbox'])], states), NOW)).rejects.toThrow(
      'Table storage is unreachable',
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });

  it('reads the rows one vault at a time, so that memory follows the largest vault, and plans each from its own row', async () => {
    const urls = Array.from({ length: 5 }, (_, v) => `https://vault-${v}.vault.azure.net`);
    const names = Array.from({ length: 60 }, (_, i) => `mailbox-${i}`);
    // Every connection has a row; every third is due.
    const rows = urls.flatMap((url) =>
      names.map((name, i) => {
        const r = row(url, name);
        return i % 3 === 0 && r.row.state ? { ...r, row: { ...r.row, state: { ...r.row.state, nextAttemptAt: NOW.toISO()! } } } : r;
      }),
    );
    const { store, read } = stateTable(rows);
    let holding = 0;
    let peak = 0;
    const reading: ConnectionStateStore = {
      ...store,
      listVaultRows: (vaultUrl) => {
        peak = Math.max(peak, ++holding);
        return store.listVaultRows(vaultUrl);
      },
    };
    const sent: RefreshMessage[] = [];
    const stores = urls.map((url) => vault(url, names, { listed: () => void (holding -= 1) }));

    const run = await scheduleRefreshes(plannerDeps(stores, reading, sent), NOW);

    expect(read.sort()).toEqual([...urls].sort());
    expect(peak).toBe(1);
    expect(run).toMatchObject({ queued: 100, notDue: 200, forgotten: [] });
    expect(sent).toHaveLength(100);
    for (const message of sent)
      expect(message.planned).toEqual({
        version: `etag-${message.name}`,
        state: { ...healthy(message.vaultUrl, message.name), nextAttemptAt: NOW.toISO() },
      });
  });

  it('starts the next vault beside one whose listing stands still, and still plans both in full', async () => {
    const [slowUrl, nextUrl] = ['https://slow.vault.azure.net', 'https://next.vault.azure.net'];
    const names = Array.from({ length: 60 }, (_, i) => `mailbox-${i}`);
    const { store } = stateTable([]);
    let answerSlow = () => undefined as void;
    const slowAnswer = new Promise<void>((resolve) => (answerSlow = resolve));
    const sent: RefreshMessage[] = [];
    const deps = {
      ...plannerDeps(
        [vault(slowUrl, names, { answer: (page) => (page === 1 ? slowAnswer : Promise.resolve()) }), vault(nextUrl, names)],
        store,
        sent,
      ),
      vaultStallMs: 50,
    };

    onFakeTimers();
    const planned = scheduleRefreshes(deps, NOW);
    await vi.advanceTimersByTimeAsync(300);
    // The slow vault's first page is planned; the next vault did not wait for the rest.
    expect(sent.filter((m) => m.vaultUrl === slowUrl)).toHaveLength(25);
    expect(sent.filter((m) => m.vaultUrl === nextUrl)).toHaveLength(60);
    answerSlow();
    await vi.runAllTimersAsync();

    expect(await planned).toMatchObject({ queued: 120 });
    expect(sent.filter((m) => m.vaultUrl === slowUrl)).toHaveLength(60);
  });

  it('does not start the next vault while a fast listing waits on a slow queue: Vigil, not the vault, is the bottleneck', async () => {
    const [firstUrl, nextUrl] = ['https://first.vault.azure.net', 'https://next.vault.azure.net'];
    const names = Array.from({ length: (BATCHES_AHEAD + 4) * 25 }, (_, i) => `mailbox-${i}`);
    const sent: RefreshMessage[] = [];
    const deps = {
      ...plannerDeps([vault(firstUrl, names), vault(nextUrl, ['cerb-mailbox'])], stateTable([]).store, sent),
      vaultStallMs: 30,
    };
    deps.queue = {
      send: async (messages) => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        sent.push(...messages);
      },
    };

    onFakeTimers();
    const planned = scheduleRefreshes(deps, NOW);
    await vi.runAllTimersAsync();
    expect(await planned).toMatchObject({ queued: names.length + 1 });
    expect(sent.findIndex((m) => m.vaultUrl === nextUrl)).toBe(names.length);
  });

  it('runs at most two vaults beside each other, however many stand still', async () => {
    const urls = ['one', 'two', 'three', 'four'].map((host) => `https://${host}.vault.azure.net`);
    let answer = () => undefined as void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const asked = new Set<string>();
    const stores = urls.map((url) => vault(url, ['cerb-mailbox'], { answer: () => (asked.add(url), answered) }));
    onFakeTimers();
    const planned = scheduleRefreshes({ ...plannerDeps(stores, stateTable([]).store), vaultStallMs: 20 }, NOW);
    // Ten stalls' time: the third vault would have started many times over.
    await vi.advanceTimersByTimeAsync(200);
    expect([...asked]).toEqual(urls.slice(0, 2));
    answer();
    await vi.runAllTimersAsync();
    expect(await planned).toMatchObject({ queued: 4 });
  });

  it("forgets, per vault, the rows of secrets gone from a vault listed in full, but not a leased one, one listed in other case, or a failed vault's", async () => {
    const [listedUrl, failedUrl] = ['https://listed.vault.azure.net', 'https://failed.vault.azure.net'];
    const names = Array.from({ length: 30 }, (_, i) => `mailbox-${i}`);
    const { store, forgotten } = stateTable([
      ...names.map((name) => row(listedUrl, name)),
      row(listedUrl, 'gone-mailbox'),
      row(listedUrl, 'leased-mailbox', NOW.plus({ minutes: 3 }).toISO()!),
      row(listedUrl, 'Mailbox-7'),
      ...names.map((name) => row(failedUrl, name)),
      row(failedUrl, 'gone-too'),
    ]);

    const run = await scheduleRefreshes(plannerDeps([vault(listedUrl, names), vault(failedUrl, names, { failAfter: 1 })], store), NOW);

    expect(forgotten).toEqual(['listed.vault.azure.net/gone-mailbox@etag-gone-mailbox']);
    expect(run.forgotten).toEqual([{ vaultUrl: listedUrl, name: 'gone-mailbox' }]);
    expect(run.vaults.map((v) => v.outcome.kind)).toEqual(['checked', 'unchecked']);
  });

  it("lists only a few pages ahead while the vault's rows are still being read, instead of holding its whole listing", async () => {
    const names = Array.from({ length: 50 * 25 }, (_, i) => `mailbox-${i}`);
    let pages = 0;
    let rowsRead = () => undefined as void;
    const slowRows = new Promise<void>((resolve) => (rowsRead = resolve));
    const { store } = stateTable(names.map((name) => row(VAULT_URL, name)));
    const slow: ConnectionStateStore = {
      ...store,
      async listVaultRows(vaultUrl) {
        await slowRows;
        return store.listVaultRows(vaultUrl);
      },
    };
    onFakeTimers();
    const planned = scheduleRefreshes(plannerDeps([vault(VAULT_URL, names, { page: (p) => void (pages = p + 1) })], slow), NOW);
    // Four times what the whole listing takes (a page a 1 ms round trip): one listed without a limit would be over.
    await vi.advanceTimersByTimeAsync(200);
    expect(pages).toBeLessThanOrEqual(BATCHES_AHEAD + 2);
    rowsRead();
    await vi.runAllTimersAsync();
    expect(await planned).toMatchObject({ notDue: names.length });
    expect(pages).toBe(50);
  });

  it('fails the run on a planning failure met while the listing waits, ends the listing, and leaves no rejection unhandled', async () => {
    process.on('unhandledRejection', onUnhandled);
    const names = Array.from({ length: (BATCHES_AHEAD + 4) * 25 }, (_, i) => `mailbox-${i}`);
    let ended = false;
    const recorded: string[] = [];
    const deps = plannerDeps([vault(VAULT_URL, names, { listed: () => void (ended = true) })], stateTable([]).store);
    deps.queue = { send: () => Promise.reject(new Error('the refresh queue answered 503')) };
    deps.vaultHealth = { record: async (checks) => (recorded.push(...checks.map((c) => c.outcome.kind)), []) };

    await expect(scheduleRefreshes(deps, NOW)).rejects.toThrow('the refresh queue answered 503');
    // Not a vault that failed to list: the run fails, as a state-table failure does.
    expect(recorded).toEqual([]);
    expect(ended).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
  });
});
