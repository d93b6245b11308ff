import { collectionInfo } from './directoryCollections.js';
import { deltaState, deltaTokenLifetimeMs } from './deltaTokenState.js';
import type { DirectoryCollection, GraphCall } from './graphCall.js';
import { failure, type GraphFailure } from './graphResponses.js';
import { defaultPageSize, maxPageSize, parseFilter, parseSelect, type Parsed } from './odataQuery.js';
import { decodePageToken, deltaLinkTokenSchema, deltaPageTokenSchema, type DeltaPageToken } from './pageTokens.js';

/** Where a delta request stands: the page token it continues, whether it only asks for the latest link. */
export interface DeltaRound {
  position: DeltaPageToken;
  /** `$deltatoken=latest`: "sync from now", a deltaLink and no objects. */
  latestOnly: boolean;
}

/** A failed resync check: the status, code and, for 410, where to start over. */
export type DeltaFailure = GraphFailure & { location?: string };

/** Parameters go on the first call only, and only these (application: delta). */
const firstCallOptions = new Set(['$select', '$filter', '$deltatoken']);

/**
 * Reads a delta request's state from its first-call parameters, `$skiptoken` or `$deltatoken`. A round
 * covers changes with `since < changeSeq <= upTo`, `upTo` fixed when the round starts, paged in change
 * order; objects changed during a round show up in the next one.
 */
export function resolveDeltaRound(call: GraphCall, collection: DirectoryCollection): Parsed<DeltaRound> | DeltaFailure {
  const { query, tenant } = call;
  const skipToken = query.get('$skiptoken');
  if (skipToken !== null) {
    const token = decodePageToken(skipToken, deltaPageTokenSchema);
    const problem = checkToken(call, collection, token);
    return problem ?? { ok: true, value: { position: token!, latestOnly: false } };
  }
  const deltaToken = query.get('$deltatoken') ?? '';
  if (deltaToken !== '' && deltaToken !== 'latest') {
    const token = decodePageToken(deltaToken, deltaLinkTokenSchema);
    const problem = checkToken(call, collection, token);
    if (problem) return problem;
    const { seq, k: _kind, ...scope } = token!;
    return {
      ok: true,
      value: {
        position: {
          ...scope,
          k: 'deltaPage',
          since: seq,
          upTo: tenant.record.changeSeq,
          afterSeq: seq,
          at: call.ctx.store.now().getTime(),
        },
        latestOnly: false,
      },
    };
  }
  const other = [...query.keys()].find((name) => name.startsWith('$') && !firstCallOptions.has(name));
  if (other)
    return failure(
      400,
      'Request_UnsupportedQuery',
      `Unsupported query option '${other}' for delta. Only $select and $filter on id are supported.`,
    );
  const info = collectionInfo[collection];
  const select = parseSelect(query.get('$select'), info);
  if (!select.ok) return select;
  const filter = parseFilter(query.get('$filter'), info, ['id']);
  if (!filter.ok) return filter;
  const position: DeltaPageToken = {
    k: 'deltaPage',
    c: collection,
    t: tenant.id,
    size: preferredPageSize(call.headers.get('prefer')),
    gen: deltaState(call.ctx, tenant.id).generation,
    at: call.ctx.store.now().getTime(),
    // -1: the first round reports every object that exists, whatever its change number.
    since: -1,
    upTo: tenant.record.changeSeq,
    afterSeq: -1,
  };
  if (select.value) position.sel = select.value;
  if (filter.value) position.ids = filter.value.map((c) => c.value.toLowerCase());
  return { ok: true, value: { position, latestOnly: deltaToken === 'latest' } };
}

function checkToken(
  call: GraphCall,
  collection: DirectoryCollection,
  token: { c: string; t: string; gen: number; at: number; sel?: string[] | undefined } | undefined,
): DeltaFailure | undefined {
  const state = deltaState(call.ctx, call.tenant.id);
  const expired =
    !token || token.c !== collection || token.t !== call.tenant.id || token.at + deltaTokenLifetimeMs < call.ctx.store.now().getTime();
  if (!expired && token.gen === state.generation) return undefined;
  if (!expired && state.invalidatedAs === 'resync') {
    const select = token.sel ? `$select=${token.sel.join(',')}&` : '';
    return {
      ...failure(410, 'resyncRequired', 'The delta token is no longer valid, and the app must reset the sync state.'),
      location: `${call.origin}/v1.0/${collection}/delta?${select}$deltatoken=`,
    };
  }
  // Identity resources answer an expired or unknown token with BadRequest syncStateNotFound
  // (devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources).
  return failure(
    400,
    'syncStateNotFound',
    'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
  );
}

/** `Prefer: odata.maxpagesize=N` sets the page size of a delta round (1–999; default 100). */
export function preferredPageSize(prefer: string | null): number {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  const size = match ? Number(match[1]) : defaultPageSize;
  return Math.min(Math.max(size, 1), maxPageSize);
}
