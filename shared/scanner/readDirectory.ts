import type { DateTime } from 'luxon';
import type { HygieneContext } from '../intelligence/judgeHygiene.js';
import type { IntelligenceContext } from '../intelligence/ScanIntelligence.js';
import type { FactsContext } from './credentialFactsOf.js';
import type { DirectoryChange, DirectoryObjectKind } from './DirectoryObject.js';
import type { DeltaLinks, DirectoryPager, ReadFailure, ReadRequest } from './DirectoryPager.js';
import { findingKey, type CredentialFacts, type CredentialType, type Finding } from './Finding.js';
import { judgeObject } from './judgeObject.js';
import type { ScanPolicy } from './ScanPolicy.js';

/** How objects are judged while they stream past. */
export interface Judge {
  context: Omit<FactsContext, 'isFederated'>;
  /**
   * The tenant's policies and federated apps, read once before the first object is judged (a delta
   * round that returns nothing reads nothing).
   */
  intelligence(): Promise<IntelligenceContext>;
  /** Whether a watched vault holds a copy of one of the app's credentials, or a token connection signs in as it. */
  keptInVault(appId: string): boolean;
  policy: ScanPolicy;
  now: DateTime;
  /** Ids of objects that had findings or upcoming crossings before: only for these is anything remembered beyond their findings. */
  watched: ReadonlySet<string>;
  /** Credentials above the ladder that reach it by then are kept as upcoming (upcomingCrossings.ts). */
  upcomingUntilMs: number;
}

export interface DirectoryRead {
  kind: 'read';
  mode: 'full' | 'delta';
  links: DeltaLinks | undefined;
  applications: number;
  servicePrincipals: number;
  /** Findings of the objects read. */
  findings: Map<string, Finding>;
  /** Credentials of the objects read that time alone brings onto the ladder soon. */
  upcoming: Map<string, CredentialFacts>;
  /** Watched objects that were read or deleted: their old findings are replaced, not judged again. */
  touched: Set<string>;
  /** Credentials (finding keys) of the watched objects read: a closed finding not among them was removed. */
  present: Set<string>;
  /** For watched objects read: the newest valid credential of each type (what replaced a closed finding). */
  replacements: Map<string, Partial<Record<CredentialType, string>>>;
}

export type ReadResult = DirectoryRead | { kind: 'deltaRefused'; reason: string } | { kind: 'failed'; failure: ReadFailure };

/**
 * Takes each page's findings as they are judged (a full read judges them with their evidence as it goes):
 * then `findings` stays empty. `page`: how many applications the page held (the share of them with
 * findings guides evidence reads), and whether it ended a collection.
 */
export type FindingSink = (findings: Finding[], page: PageCounts) => Promise<void>;

/** How many applications one page held, and whether it was the last of a collection (`DirectoryPager`'s `ends`). */
export interface PageCounts {
  applications: number;
  ends?: DirectoryObjectKind | undefined;
}

/** Pages of findings a read may run ahead of its sink: enough that storing a page (evidence, then a write) that takes longer than a Graph round trip does not hold up the nextLink chain. */
const PAGES_BEHIND = 2;

/**
 * Consumes the pager page by page and keeps only findings (and a little about watched objects), so a
 * tenant of 100,000 apps costs no more memory than its pages and its findings; with a `sink`, not even those.
 * The sink takes pages one after another while the next ones are read: the nextLink chain is the only
 * thing that waits, and the read goes on only while at most `PAGES_BEHIND` pages wait to be taken, so
 * memory stays flat whatever the tenant's size.
 */
export async function readDirectory(
  pager: DirectoryPager,
  request: ReadRequest,
  judge: Judge,
  sink?: FindingSink,
  /** Sees each page's findings as the page is read, before any sink takes them: a full read samples evidence reads with it. */
  observe?: (found: readonly Finding[], page: PageCounts) => void,
): Promise<ReadResult> {
  const read: DirectoryRead = {
    kind: 'read',
    mode: request.mode === 'delta' ? 'delta' : 'full',
    links: undefined,
    applications: 0,
    servicePrincipals: 0,
    findings: new Map(),
    upcoming: new Map(),
    touched: new Set(),
    present: new Set(),
    replacements: new Map(),
  };
  let rules: { context: FactsContext; hygiene: HygieneContext } | undefined;
  // Pages handed to the sink and not yet taken, oldest first; each waits for the one before it.
  const taking: Array<Promise<void>> = [];
  let last: Promise<void> = Promise.resolve();
  try {
    for await (const item of pager.read(request)) {
      if (item.kind === 'page') {
        if (item.changes.length > 0) rules ??= toRules(await judge.intelligence(), judge);
        const found: Finding[] = [];
        const applicationsBefore = read.applications;
        for (const change of item.changes) takeChange(read, change, judge, rules!, found);
        const page: PageCounts = {
          applications: read.applications - applicationsBefore,
          ends: item.ends,
        };
        observe?.(found, page);
        if (!sink) {
          for (const f of found) read.findings.set(findingKey(f), f);
        } else {
          if (taking.length >= PAGES_BEHIND) await taking.shift();
          last = last.then(() => sink(found, page));
          // Awaited before the read hands on more or ends; until then its failure must not surface as unhandled.
          last.catch(() => undefined);
          taking.push(last);
        }
        continue;
      }
      await last;
      if (item.kind === 'done') return { ...read, links: item.links };
      return item;
    }
    await last;
  } finally {
    // A read that stops early (a failed page, a thrown judge) leaves no page being taken behind it.
    await last.catch(() => undefined);
  }
  return { kind: 'failed', failure: { code: 'incomplete', reason: 'the directory read ended before its last page' } };
}

function toRules(intel: IntelligenceContext, judge: Judge): { context: FactsContext; hygiene: HygieneContext } {
  return {
    context: { ...judge.context, isFederated: (objectId) => intel.federatedApps.has(objectId.toLowerCase()) },
    hygiene: { policies: intel.policies, federatedApps: intel.federatedApps, secretMaxLifetimeDays: judge.policy.secretMaxLifetimeDays },
  };
}

function takeChange(
  read: DirectoryRead,
  change: DirectoryChange,
  judge: Judge,
  rules: { context: FactsContext; hygiene: HygieneContext },
  found: Finding[],
): void {
  if (change.kind === 'removed') {
    if (judge.watched.has(change.id)) read.touched.add(change.id);
    return;
  }
  const { object } = change;
  if (object.kind === 'application') read.applications += 1;
  else read.servicePrincipals += 1;
  const { facts, findings, upcoming } = judgeObject(object, judge, rules.context, rules.hygiene);
  found.push(...findings);
  for (const f of upcoming) read.upcoming.set(findingKey(f), f);
  if (judge.watched.has(object.id)) {
    read.touched.add(object.id);
    for (const f of facts) read.present.add(findingKey(f));
    read.replacements.set(object.id, newestValid(facts, judge.now));
  }
}

function newestValid(facts: readonly CredentialFacts[], now: DateTime): Partial<Record<CredentialType, string>> {
  const newest: Partial<Record<CredentialType, CredentialFacts>> = {};
  for (const f of facts) {
    const end = Date.parse(f.endDateTime);
    const best = newest[f.credentialType];
    if (end > now.toMillis() && (!best || end > Date.parse(best.endDateTime))) newest[f.credentialType] = f;
  }
  return Object.fromEntries(Object.entries(newest).map(([type, f]) => [type, f.keyId]));
}
