import type { Client } from '@microsoft/microsoft-graph-client';
import type { DirectoryChange } from '../../scanner/DirectoryObject.js';
import type { DeltaLinks, DirectoryPager, PageRead, ReadFailure, ReadRequest } from '../../scanner/DirectoryPager.js';
import { createPageFetcher, defaultRetryBudget, type PageFetcher, type PageResult, type RetryBudget } from './createPageFetcher.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import type { WindowClock } from '../../helpers/createSlidingWindowBudget.js';
import { createSlidingWindowBudget } from '../../helpers/createSlidingWindowBudget.js';
import { yieldToEventLoop } from '../../helpers/yieldToEventLoop.js';
import {
  directorySelects,
  isDirectoryItem,
  objectKindOf,
  toDirectoryChange,
  toDirectoryPage,
  type DirectoryCollection,
  type DirectoryItem,
} from './toDirectoryChanges.js';

/** `signIn`: how Vigil signs in to the tenant, added to a sign-in failure so people know which credential to fix. */
export type GraphConnection =
  | {
      ok: true;
      graph: Client;
      /** The tenant's Graph endpoint (`https://graph.microsoft.com`): links elsewhere are not followed. */
      origin: string;
      signIn?: string;
    }
  | { ok: false; failure: ReadFailure };

export interface DirectoryPagerOptions {
  /** Vigil's log, where createPageFetcher leaves the trace of a request Vigil could not make (vigilFault). */
  vigilFaultLog: VigilFaultLog;
  /** The tenant's Graph client, or why there is none (its secret could not be read, …). */
  connect(): Promise<GraphConnection>;
  sleep: (ms: number) => Promise<void>;
  /** The clock the pacing window is measured on (the system clock unless a test or bench moves its own). */
  clock?: WindowClock;
  budget?: RetryBudget;
  /** Graph: 150 requests a minute per tenant when `$select` includes keyCredentials. */
  pacing?: { limit: number; windowMs: number };
  /** Largest page Graph allows on directory lists ($top) and asks for on delta rounds. */
  pageSize?: number;
}

const collections: readonly DirectoryCollection[] = ['applications', 'servicePrincipals'];

/**
 * Reads applications and service principals beside each other, each one page at a time with the smallest `$select`: lists
 * with `$top=999`; delta rounds (which refuse `$top`) with `Prefer: odata.maxpagesize=999`. The next
 * page is asked for as a page is handed on, so memory holds at most two pages whatever the tenant's size.
 */
export function createDirectoryPager(options: DirectoryPagerOptions): DirectoryPager {
  const pageSize = options.pageSize ?? 999;
  return {
    async *read(request: ReadRequest): AsyncGenerator<PageRead> {
      const connection = await options.connect();
      if (!connection.ok) {
        yield { kind: 'failed', failure: connection.failure };
        return;
      }
      // Links kept from an earlier read name their host; after an endpoint change (another national cloud
      // host, a local cloud on new ports) they lead nowhere, so read everything afresh instead.
      const stored = request.mode === 'delta' ? [request.links.applications, request.links.servicePrincipals] : [];
      const elsewhere = stored.some((link) => !isOn(link, connection.origin));
      if (elsewhere) {
        yield { kind: 'deltaRefused', reason: `the stored delta links are not on ${connection.origin}` };
        return;
      }
      const { limit, windowMs } = options.pacing ?? { limit: 150, windowMs: 60_000 };
      const pacer = createSlidingWindowBudget(limit, windowMs, options.clock);
      const fetcher = createPageFetcher(connection.graph, {
        pacer,
        sleep: options.sleep,
        budget: options.budget ?? defaultRetryBudget,
        vigilFaultLog: options.vigilFaultLog,
      });
      const links: Partial<DeltaLinks> = {};
      // The two collections depend on nothing of each other: each follows its own nextLink chain at once,
      // so a tenant's directory takes as long as its longer collection, not both one after the other.
      const reads = collections.map((collection) =>
        withSignIn(readCollection(fetcher, request, collection, pageSize, connection.origin), connection.signIn),
      );
      const outcomes = yield* beside(reads);
      if (!outcomes) return;
      for (const [index, collection] of collections.entries()) {
        const outcome = outcomes[index];
        if (outcome?.deltaLink) links[collection] = outcome.deltaLink;
      }
      yield {
        kind: 'done',
        links:
          links.applications && links.servicePrincipals
            ? { applications: links.applications, servicePrincipals: links.servicePrincipals }
            : undefined,
      };
    },
  };
}

function isOn(link: string, origin: string): boolean {
  try {
    return new URL(link).origin === origin;
  } catch {
    return false;
  }
}

/** Names the credential on a failed sign-in: "sign-in to the tenant failed (AADSTS700027) as app … with the certificate in …". */
async function* withSignIn<R>(reads: AsyncGenerator<PageRead, R>, signIn: string | undefined): AsyncGenerator<PageRead, R> {
  for (;;) {
    const next = await reads.next();
    if (next.done) return next.value;
    const read = next.value;
    const failedSignIn = read.kind === 'failed' && read.failure.code === 'authentication' && signIn;
    yield failedSignIn ? { ...read, failure: { ...read.failure, reason: `${read.failure.reason} ${signIn}` } } : read;
  }
}

/**
 * Hands on the pages of several reads as each arrives, asking each read for its next page only once its
 * last one is taken (so memory holds a page or two per read). The first read that stops (a failure, a
 * refused delta link) stops them all: its item is the last handed on, and undefined is returned. A read
 * left behind keeps at most one request in flight, whose failure is caught.
 */
async function* beside(
  reads: ReadonlyArray<AsyncGenerator<PageRead, CollectionOutcome>>,
): AsyncGenerator<PageRead, Array<Extract<CollectionOutcome, { stop: false }>> | undefined> {
  const outcomes: Array<Extract<CollectionOutcome, { stop: false }>> = [];
  type Next = { index: number; result: IteratorResult<PageRead, CollectionOutcome> };
  const pending = new Map<number, Promise<Next>>();
  const ask = (index: number) => {
    const next = reads[index]!.next().then((result) => ({ index, result }));
    next.catch(() => undefined);
    pending.set(index, next);
  };
  reads.forEach((_, index) => ask(index));
  while (pending.size > 0) {
    const { index, result } = await Promise.race(pending.values());
    pending.delete(index);
    if (result.done) {
      if (result.value.stop) return undefined;
      outcomes[index] = result.value;
      continue;
    }
    yield result.value;
    if (result.value.kind === 'failed' || result.value.kind === 'deltaRefused') return undefined;
    ask(index);
  }
  return outcomes;
}

type CollectionOutcome = { stop: true } | { stop: false; deltaLink: string | undefined };
const STOP = { stop: true } as const;

/** Delta rounds refuse `$top`: they take the page size as a preference. */
function headersFor(request: ReadRequest, pageSize: number): Record<string, string> {
  return request.mode === 'full' ? {} : { Prefer: `odata.maxpagesize=${pageSize}` };
}

async function* readCollection(
  fetcher: PageFetcher,
  request: ReadRequest,
  collection: DirectoryCollection,
  pageSize: number,
  origin: string,
): AsyncGenerator<PageRead, CollectionOutcome> {
  const headers = headersFor(request, pageSize);
  let inFlight = fetcher.get(firstUrl(request, collection, pageSize), headers);
  // Ask for the next page as soon as its link is known, so Graph prepares it while the scanner judges this one.
  const prefetch = (url: string) => {
    inFlight = fetcher.get(url, headers);
    // A reader that stops after this page never awaits it; its failure must not surface as unhandled.
    inFlight.catch(() => undefined);
  };
  for (let pages = 0; ; pages += 1) {
    const taken = await takePage(inFlight, collection, fetcher, prefetch, origin);
    if (taken.kind === 'deltaRefused') {
      yield taken;
      return STOP;
    }
    if (taken.kind === 'failed') {
      yield { kind: 'failed', failure: pages === 0 ? taken.failure : partial(taken.failure, collection, pages) };
      return STOP;
    }
    yield { kind: 'page', changes: taken.changes, ends: taken.nextLink ? undefined : objectKindOf[collection] };
    if (taken.nextLink) continue;
    if (request.mode === 'full') return { stop: false, deltaLink: undefined };
    if (taken.deltaLink) return { stop: false, deltaLink: taken.deltaLink };
    yield { kind: 'failed', failure: { code: 'incomplete', reason: `Graph ended a delta round of ${collection} without a deltaLink` } };
    return STOP;
  }
}

type TakenPage =
  | Extract<PageResult, { kind: 'deltaRefused' }>
  | { kind: 'failed'; failure: ReadFailure }
  | { kind: 'page'; changes: DirectoryChange[]; nextLink: string | undefined; deltaLink: string | undefined };

/**
 * One page, from Graph's answer to the changes the scanner judges. The raw page stays in here, so the
 * reader holds only the changes (and the next page in flight) while they are judged.
 */
async function takePage(
  pending: Promise<PageResult>,
  collection: DirectoryCollection,
  fetcher: PageFetcher,
  prefetch: (url: string) => void,
  origin: string,
): Promise<TakenPage> {
  const result = await pending;
  if (result.kind === 'deltaRefused' || result.kind === 'failed') return result;
  const page = toDirectoryPage(result.body);
  if (!page) return { kind: 'failed', failure: { code: 'incomplete', reason: `Graph sent a malformed page of ${collection}` } };
  const nextLink = page['@odata.nextLink'];
  // Vigil's token goes wherever a link points: only ever to the tenant's own Graph endpoint.
  if (nextLink && !isOn(nextLink, origin))
    return { kind: 'failed', failure: { code: 'incomplete', reason: `Graph sent a next link of ${collection} to another host` } };
  if (nextLink) {
    prefetch(nextLink);
    // node:https writes the request out only once no microtask is left (sendOverNode): judging this page,
    // which may not wait for I/O for tens of ms, would hold it back. One turn of the event loop first, and
    // it is on its way (under load, a 10,000-app scan's page requests left a median 12–24 ms late without it).
    await yieldToEventLoop();
  }
  const changes = await toChanges(page.value, collection, fetcher);
  if (!Array.isArray(changes)) return { kind: 'failed', failure: changes };
  return { kind: 'page', changes, nextLink, deltaLink: page['@odata.deltaLink'] };
}

function firstUrl(request: ReadRequest, collection: DirectoryCollection, pageSize: number): string {
  const select = `$select=${directorySelects[collection].join(',')}`;
  if (request.mode === 'delta') return request.links[collection];
  return request.mode === 'initial' ? `/${collection}/delta?${select}` : `/${collection}?${select}&$top=${pageSize}`;
}

function partial(failure: ReadFailure, collection: DirectoryCollection, pages: number): ReadFailure {
  return { ...failure, reason: `${failure.reason}, after ${pages} page${pages === 1 ? '' : 's'} of ${collection} (partial read)` };
}

/** Items a delta round sent without their credentials are read whole (rare: Graph sends changed properties). */
async function toChanges(
  items: readonly DirectoryItem[],
  collection: DirectoryCollection,
  fetcher: PageFetcher,
): Promise<DirectoryChange[] | ReadFailure> {
  const changes: DirectoryChange[] = [];
  for (const item of items) {
    const change = toDirectoryChange(item, collection);
    if (change === undefined) continue;
    if (change !== 'partial') {
      changes.push(change);
      continue;
    }
    const whole = await fetcher.get(`/${collection}/${item.id}?$select=${directorySelects[collection].join(',')}`);
    if (whole.kind === 'failed' && /HTTP 404/.test(whole.failure.reason)) continue; // deleted since the page was made
    if (whole.kind !== 'ok') return whole.kind === 'failed' ? whole.failure : { code: 'incomplete', reason: whole.reason };
    const again = isDirectoryItem(whole.body) ? toDirectoryChange(whole.body, collection) : undefined;
    if (again && again !== 'partial') changes.push(again);
  }
  return changes;
}
