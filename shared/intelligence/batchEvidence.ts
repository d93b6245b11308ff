import { findingKey, type Finding } from '../scanner/Finding.js';
import type { UsageEvidence } from './CredentialUsage.js';
import { hasUsage, wantsOwners, withEvidence, type EnrichOptions, type FindingEvidence } from './enrichFindings.js';
import { appsPerFilteredRequest } from './evidenceReads.js';
import type { ScanIntelligence } from './ScanIntelligence.js';

/** A full read's findings on their way on (to storage, or to the diff), a page at a time, each judged with its evidence first. */
export interface EvidenceBatcher {
  /** One page's findings: those whose evidence is in go on to be stored; the others wait for fuller requests. */
  add(found: readonly Finding[]): Promise<void>;
  /** Once the directory (or its applications) is read: the evidence still missing, in partial requests, and every finding left. */
  flush(): Promise<void>;
}

/** Owners' addresses as read for one application; null when they could not be read. */
type Owners = string[] | null;

/** What judging a finding with its evidence needs; `previous`: the last good findings, by finding key (`withEvidence`'s `before`). */
export type BatchOptions = EnrichOptions & { previous?: ReadonlyMap<string, Finding> | undefined };

/**
 * Findings judged with their evidence, and beside each (same index) the last good finding of its key that
 * judging read: whoever compares them next takes it from here, not from `previous` again, which may parse
 * each finding it hands out (KeptFindings).
 */
export type TakeJudged = (judged: Finding[], before: ReadonlyArray<Finding | undefined>) => Promise<void>;

/**
 * Reads a full read's evidence (usage by app id, owners by application object id) across its pages in
 * requests as full as Graph allows: ids wait for the next pages' until `appsPerFilteredRequest` (15) of a
 * kind are waiting, so pages of 3, 7 and 9 apps with findings cost one request of 15 and, at the end, one
 * of 4, not three of 3, 7 and 9. Their findings wait with them (those of at most 14 apps of each kind,
 * beside the page being taken) and go to `take` judged: each is stored once, with its evidence. Whether an
 * ask goes by app or takes the whole tenant's read is decided by the share the scan's pages have shown so
 * far (`ScanIntelligence.anticipate`). Once Graph refuses a kind, the rest of the scan asks for it no
 * more: the same tenant would refuse every later request too, and each finding says why it is unknown.
 */
export function batchEvidence(intel: ScanIntelligence, options: BatchOptions, take: TakeJudged): EvidenceBatcher {
  let waiting: Finding[] = [];
  // By lower-case id: what was read, or undefined while it waits to be asked or answered.
  const usage = new Map<string, UsageEvidence | undefined>();
  const owners = new Map<string, Owners | undefined>();
  const unasked = { usage: [] as string[], owners: [] as string[] };
  const refused: { usage?: UsageEvidence | undefined; owners?: boolean } = {};

  const wait = <T>(known: Map<string, T | undefined>, ids: string[], id: string, answer: T | undefined) => {
    if (known.has(id)) return;
    known.set(id, answer);
    if (answer === undefined) ids.push(id);
  };
  const appIdOf = (f: Finding) => f.appId!.toLowerCase();
  const objectIdOf = (f: Finding) => f.objectId.toLowerCase();

  /** Asks for the waiting ids: only whole requests of 15 unless `all`; the rest wait for later pages. */
  const ask = async (all: boolean) => {
    const due = (ids: string[]) => ids.splice(0, all ? ids.length : ids.length - (ids.length % appsPerFilteredRequest));
    const appIds = due(unasked.usage);
    const objectIds = due(unasked.owners);
    if (appIds.length + objectIds.length === 0) return;
    const evidence = await intel.evidence({ appIds, applicationObjectIds: objectIds, read: { kind: 'sampled' } });
    if (appIds.length > 0 && evidence.usage.kind === 'unavailable') {
      refused.usage = evidence.usage;
      appIds.push(...unasked.usage.splice(0));
    }
    if (objectIds.length > 0 && evidence.owners === undefined) {
      refused.owners = true;
      objectIds.push(...unasked.owners.splice(0));
    }
    for (const id of appIds) usage.set(id, evidence.usage);
    for (const id of objectIds) owners.set(id, evidence.owners ? (evidence.owners.get(id) ?? null) : null);
  };

  const ready = (f: Finding) =>
    (!hasUsage(f) || usage.get(appIdOf(f)) !== undefined) && (!wantsOwners(f) || owners.get(objectIdOf(f)) !== undefined);
  const evidenceOf = (f: Finding): FindingEvidence => ({
    usage: hasUsage(f) ? usage.get(appIdOf(f)) : undefined,
    owners: wantsOwners(f) ? { read: true, addresses: owners.get(objectIdOf(f)) ?? null } : { read: false },
  });

  /** Hands on every finding whose evidence is in, and forgets evidence no waiting finding needs. */
  const handOn = async () => {
    const done = waiting.filter(ready);
    if (done.length === 0) return;
    const before = done.map((f) => options.previous?.get(findingKey(f)));
    const judged = done.map((f, i) => withEvidence(f, before[i], evidenceOf(f), options));
    waiting = waiting.filter((f) => !ready(f));
    const needed = { usage: new Set(waiting.filter(hasUsage).map(appIdOf)), owners: new Set(waiting.filter(wantsOwners).map(objectIdOf)) };
    for (const [id, read] of usage) if (read !== undefined && !needed.usage.has(id)) usage.delete(id);
    for (const [id, read] of owners) if (read !== undefined && !needed.owners.has(id)) owners.delete(id);
    await take(judged, before);
  };

  return {
    async add(found) {
      for (const f of found) {
        waiting.push(f);
        if (hasUsage(f)) wait(usage, unasked.usage, appIdOf(f), refused.usage);
        if (wantsOwners(f)) wait(owners, unasked.owners, objectIdOf(f), refused.owners ? null : undefined);
      }
      await ask(false);
      await handOn();
    },
    async flush() {
      await ask(true);
      await handOn();
    },
  };
}
