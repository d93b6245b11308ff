import type { DurationLike } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CredentialEvidence, ScanIntelligence } from '../../../shared/intelligence/ScanIntelligence.js';
import type { DirectoryChange, DirectoryObjectKind } from '../../../shared/scanner/DirectoryObject.js';
import type { DirectoryPager, PageRead } from '../../../shared/scanner/DirectoryPager.js';
import { findingKey, type Finding } from '../../../shared/scanner/Finding.js';
import type { ClaimOutcome, ScanDependencies, ScanState } from '../../../shared/scanner/ScanPorts.js';
import { scanTenant } from '../../../shared/scanner/scanTenant.js';
import { NOW, inDays, policy, target } from './scannerFixtures.js';
import { FrozenKeptFindings } from './frozenKeptFindings.js';

/** An application (or its service principal) whose one secret ends in 10 days: a finding that asks for usage and, on an application, owners. */
const object = (kind: DirectoryObjectKind, i: number): DirectoryChange => ({
  kind: 'present',
  object: {
    kind,
    id: `${kind}-${i}`,
    appId: `app-${i}`,
    displayName: `App ${i}`,
    passwordCredentials: kind === 'application' ? [{ keyId: `key-${i}`, displayName: 'main', endDateTime: inDays(10) }] : [],
    keyCredentials: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyEndDateTime: null,
  },
});

/** How long the fake directory waits for an evidence request before it serves its service principals anyway. */
const PATIENCE_MS = 300;

/**
 * A tenant of `apps` applications with a secret each on one page, then a page of their service principals:
 * the log says when each page was served and when evidence was asked. The service principals' page is
 * served once evidence is asked, or after `PATIENCE_MS` (a scan that asks only after the directory is read).
 */
function tenant(apps: number) {
  const log: string[] = [];
  let asked: () => void = () => undefined;
  const evidenceAsked = new Promise<void>((resolve) => (asked = resolve));
  const range = Array.from({ length: apps }, (_, i) => i);
  const pager: DirectoryPager = {
    async *read(): AsyncGenerator<PageRead> {
      try {
        log.push('applications served');
        yield { kind: 'page', changes: range.map((i) => object('application', i)), ends: 'application' };
        await Promise.race([evidenceAsked, new Promise((resolve) => setTimeout(resolve, PATIENCE_MS))]);
        log.push('service principals served');
        yield { kind: 'page', changes: range.map((i) => object('servicePrincipal', i)), ends: 'servicePrincipal' };
        yield { kind: 'done', links: { applications: 'https://graph/apps-delta', servicePrincipals: 'https://graph/sps-delta' } };
      } finally {
        log.push('read closed');
      }
    },
  };
  const intel: ScanIntelligence = {
    context: async () => ({ policies: { kind: 'unavailable', reason: 'not read in this test' }, federatedApps: new Set() }),
    async evidence({ appIds, applicationObjectIds }): Promise<CredentialEvidence> {
      log.push(`evidence asked for ${appIds.length} apps`);
      asked();
      const byKeyId = new Map(
        appIds.map((id) => [id.replace('app-', 'key-'), { keyId: id.replace('app-', 'key-'), lastSignIn: inDays(-1), resourceId: null }]),
      );
      return { usage: { kind: 'read', byKeyId }, owners: new Map(applicationObjectIds.map((id) => [id, [`owner-of-${id}@contoso.com`]])) };
    },
    anticipate: () => undefined,
    recall: () => undefined,
    knownUsageReport: () => undefined,
  };
  const stored: Finding[] = [];
  /** Each kept row's reads into a finding, by the finding's subject. */
  const rowsRead: string[] = [];
  /**
   * `claim`: what taking the lease over the state as read comes to (taken, unless said otherwise); `row`: whether the
   * state was stored; `kept`: the last good findings, kept as their rows' text as the store keeps them.
   */
  const deps = (
    state: ScanState,
    { claim, row = true, kept = [] }: { claim?: () => Promise<ClaimOutcome>; row?: boolean; kept?: readonly Finding[] } = {},
  ): ScanDependencies => ({
    pager,
    intel,
    state: {
      read: async (tenantId, _now, holder) => ({
        kind: 'free',
        state,
        stored: row,
        claim: claim ?? (async () => ({ kind: 'acquired', lease: { tenantId, holder } })),
      }),
      release: async () => {
        log.push('state saved');
        return true;
      },
    },
    findings: {
      layout: 1,
      list: async () => [],
      kept: async () => {
        log.push('kept findings read');
        return new FrozenKeptFindings(
          new Map(kept.map((f) => [findingKey(f), JSON.stringify(f)])),
          (row) => {
            const finding = JSON.parse(row) as Finding;
            rowsRead.push(finding.subjectName);
            return finding;
          },
          new Set(kept.map((f) => f.objectId)),
        );
      },
      apply: async (_tenantId, change) => void stored.push(...change.upserts),
      open: () => ({ put: async (findings) => void stored.push(...findings), close: async () => undefined }),
    },
    upcoming: { list: async () => (log.push('upcoming read'), []), apply: async () => undefined },
    vaultIndex: { list: async () => [] },
    events: { publish: async (events) => void log.push(...events.map((e) => `published ${e.type}`)) },
    elapsedMs: () => 0,
  });
  return { log, deps, stored, rowsRead };
}

const daily: ScanState = {
  tenantId: target.tenantId,
  deltaLinks: { applications: 'https://graph/apps-delta', servicePrincipals: 'https://graph/sps-delta' },
  lastFullScanAt: NOW.minus({ hours: 25 }).toISO()!,
  lastSuccessAt: NOW.minus({ hours: 1 }).toISO()!,
  findingsLayout: 1,
};
const first: ScanState = { tenantId: target.tenantId };

describe("a full scan's evidence, asked beside the directory's pages", () => {
  it.each([
    ['a daily full scan', daily],
    ['a first scan', first],
  ])(
    '%s asks for the evidence of its applications as their last page is read, before the service principals are served',
    async (_, state) => {
      const { log, deps, stored } = tenant(4);
      const outcome = await scanTenant(target, deps(state), policy, NOW);
      expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', applications: 4, servicePrincipals: 4 });
      expect(log.filter((l) => l.endsWith('served') || l.startsWith('evidence'))).toEqual([
        'applications served',
        'evidence asked for 4 apps',
        'service principals served',
      ]);
      // Each finding is stored once, with the evidence read for it.
      expect(stored.map((f) => f.subjectName).sort()).toEqual(['App 0', 'App 1', 'App 2', 'App 3']);
      for (const f of stored) {
        expect(f.usage).toEqual({ kind: 'used', lastSignIn: inDays(-1) });
        expect(f.impact?.owners).toEqual([`owner-of-${f.objectId}@contoso.com`]);
      }
    },
  );
});

describe("a daily full scan's last good findings", () => {
  it('reads each kept row into a finding once: judging it with its evidence and comparing it share the one read', async () => {
    const { deps, stored, rowsRead } = tenant(4);
    await scanTenant(target, deps(first), policy, NOW);
    // App 3's credential is gone since: its finding is read once too, to close it.
    const gone = { ...stored.find((f) => f.subjectName === 'App 3')!, objectId: 'application-gone', keyId: 'key-gone' };
    const kept = [...stored.filter((f) => f.subjectName !== 'App 3'), gone];
    const outcome = await scanTenant(target, deps(daily, { kept }), policy, NOW.plus({ days: 1 }));
    expect(outcome).toMatchObject({ kind: 'checked', mode: 'full', findings: 4 });
    expect(rowsRead.sort()).toEqual(['App 0', 'App 1', 'App 2', 'App 3']);
  });
});

describe('the lease taken beside the first reads', () => {
  it('a first scan whose claim loses to another holder while Graph answers stores, publishes and saves nothing, and closes its read', async () => {
    const { log, deps, stored } = tenant(4);
    // The other holder's claim lands first: this one learns it once its first page is in.
    const claim = async (): Promise<ClaimOutcome> => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { kind: 'busy', until: NOW.plus({ minutes: 30 }).toISO()! };
    };
    const outcome = await scanTenant(target, deps(first, { claim, row: true }), policy, NOW);
    expect(outcome).toEqual({ kind: 'busy', until: NOW.plus({ minutes: 30 }).toISO() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stored).toEqual([]);
    expect(log.filter((l) => l.startsWith('published') || l === 'state saved')).toEqual([]);
    expect(log).toContain('read closed');
  });

  it('a scan whose vault index cannot be listed fails, closes the read it started beside the claim and frees the lease it took', async () => {
    const { log, deps, stored } = tenant(4);
    const d = deps(first, { row: true });
    d.vaultIndex = { list: async () => Promise.reject(new Error('vault index unavailable')) };
    await expect(scanTenant(target, d, policy, NOW)).rejects.toThrow('vault index unavailable');
    expect(stored).toEqual([]);
    expect(log.filter((l) => l.startsWith('published'))).toEqual([]);
    expect(log).toContain('read closed');
    expect(log.at(-1)).toBe('state saved');
  });

  it('a tenant with no state row reads neither kept findings nor upcoming crossings: nothing was ever stored for it', async () => {
    const { log, deps, stored } = tenant(2);
    const outcome = await scanTenant(target, deps(first, { row: false }), policy, NOW);
    expect(outcome).toMatchObject({ kind: 'checked', baseline: true, findings: 2 });
    expect(stored).toHaveLength(2);
    expect(log).not.toContain('kept findings read');
    expect(log).not.toContain('upcoming read');
    expect(log.at(-1)).toBe('state saved');
  });
});

describe('what a scan keeps for choosing how its next scans read usage', () => {
  /** Scans a 4-app tenant from `state`: what the scan told `recall`, and the state it released. */
  async function keptBy(state: ScanState) {
    const { deps } = tenant(4);
    const d = deps(state);
    let recalled: unknown;
    let released: ScanState | undefined;
    d.intel = { ...d.intel, recall: (kept) => void (recalled = kept) };
    d.state = { ...d.state, release: async (_lease, next) => ((released = next), true) };
    await scanTenant(target, d, policy, NOW);
    return { recalled, released: released! };
  }

  it("tells the intelligence the report's size and the last full read's count, and keeps this full read's count", async () => {
    const { recalled, released } = await keptBy({ ...daily, usageReport: { pages: 4, more: false }, tenantApplications: 9_000 });
    expect(recalled).toEqual({ usageReport: { pages: 4, more: false }, tenantApplications: 9_000 });
    expect(released.tenantApplications).toBe(4);
  });

  it("keeps the last full read's count through a delta, whose count is of changes only", async () => {
    const { released } = await keptBy({ ...daily, lastFullScanAt: NOW.minus({ hours: 1 }).toISO()!, tenantApplications: 9_000 });
    expect(released.lastScan?.mode).toBe('delta');
    expect(released.tenantApplications).toBe(9_000);
  });
});

/**
 * A daily full scan of a 4-app tenant whose secrets end in 10 days, then a delta `after` that Graph reports no
 * change for, from the kept findings' rows (`reads` counts how many were parsed). `publish` stands for the event log.
 */
async function deltaAfter(after: DurationLike, publish: (types: string[]) => Promise<void> = async () => undefined) {
  const { deps, stored, log } = tenant(4);
  await scanTenant(target, deps(daily), policy, NOW);
  expect(stored).toHaveLength(4);
  const rows = new Map(stored.map((f) => [findingKey(f), JSON.stringify(f)]));
  const counted = { reads: 0 };
  const read = (row: string) => ((counted.reads += 1), JSON.parse(row) as Finding);
  const later = NOW.plus(after);
  const d = deps({ ...daily, lastFullScanAt: later.minus({ hours: 1 }).toISO()!, lastSuccessAt: later.minus({ hours: 1 }).toISO()! });
  d.findings = { ...d.findings, kept: async () => new FrozenKeptFindings(rows, read, new Set(stored.map((f) => f.objectId))) };
  d.pager = {
    async *read(): AsyncGenerator<PageRead> {
      yield { kind: 'done', links: { applications: 'https://graph/apps-delta-2', servicePrincipals: 'https://graph/sps-delta-2' } };
    },
  };
  let saved: ScanState | undefined;
  d.state = { ...d.state, release: async (_lease, next) => (log.push('state saved'), (saved = next), true) };
  d.events = {
    publish: async (events) => {
      const types = events.map((e) => e.type);
      await publish(types);
      log.push(...types.map((t) => `published ${t}`));
    },
  };
  log.length = 0;
  const outcome = scanTenant(target, d, policy, later);
  // What was published and saved, in order.
  const steps = () => log.filter((l) => l === 'state saved' || l.startsWith('published'));
  return { outcome, steps, counted, saved: () => saved };
}

/** A publish that waits until `free` is called, then fails if told to. */
function heldPublish(fail = false) {
  let free: () => void = () => undefined;
  const freed = new Promise<void>((resolve) => (free = resolve));
  return {
    free: () => free(),
    publish: async () => {
      await freed;
      if (fail) throw new Error('event log unavailable');
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("a delta's kept findings", () => {
  it('are each read once, while Graph answers, and still each judged again and compared: time alone moves them down the ladder', async () => {
    // Four days later the secrets have 6 days left: each crosses the 7-day step, though Graph reports no change.
    const { outcome, steps, counted } = await deltaAfter({ days: 4 });
    expect(await outcome).toMatchObject({ kind: 'checked', mode: 'delta', findings: 4 });
    expect(steps().filter((l) => l === 'published credential.expiring')).toHaveLength(4);
    expect(counted.reads).toBe(4);
  });
});

describe("a delta's state and its events", () => {
  it('a delta with nothing to say but that it completed saves its state beside that record, not after it', async () => {
    const held = heldPublish();
    const { outcome, steps, saved } = await deltaAfter({ hours: 2 }, held.publish);
    await settled();
    expect(steps()).toEqual(['state saved']);
    expect(saved()?.deltaLinks?.applications).toBe('https://graph/apps-delta-2');
    held.free();
    expect(await outcome).toMatchObject({ kind: 'checked', mode: 'delta', events: 1 });
    expect(steps()).toEqual(['state saved', 'published scan.completed']);
  });

  it('a quiet delta whose record cannot be published fails, so the retry says it again', async () => {
    const held = heldPublish(true);
    const { outcome } = await deltaAfter({ hours: 2 }, held.publish);
    held.free();
    await expect(outcome).rejects.toThrow('event log unavailable');
  });

  it('a delta with news saves its state, and moves its delta links on, only once the news is published', async () => {
    const held = heldPublish();
    const { outcome, steps } = await deltaAfter({ days: 4 }, held.publish);
    await settled();
    expect(steps()).toEqual([]);
    held.free();
    await outcome;
    expect(steps().at(-1)).toBe('state saved');
    expect(steps().filter((l) => l.startsWith('published'))).toHaveLength(5);
  });

  it('a delta whose news cannot be published keeps the delta links it read from: the next scan reads the same changes and says it again', async () => {
    const held = heldPublish(true);
    const { outcome, saved } = await deltaAfter({ days: 4 }, held.publish);
    held.free();
    await expect(outcome).rejects.toThrow('event log unavailable');
    expect(saved()?.deltaLinks?.applications).toBe('https://graph/apps-delta');
  });
});
