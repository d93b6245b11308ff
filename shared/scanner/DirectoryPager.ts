import type { DirectoryChange, DirectoryObjectKind } from './DirectoryObject.js';

/** Graph `@odata.deltaLink`s of the last delta round, one per collection. */
export interface DeltaLinks {
  applications: string;
  servicePrincipals: string;
}

/**
 * - `initial`: a first delta round, which returns every object and ends with new delta links;
 * - `full`: every object through the list endpoints (largest pages), keeping the stored links;
 * - `delta`: only what changed since the stored links.
 */
export type ReadRequest = { mode: 'initial' } | { mode: 'full' } | { mode: 'delta'; links: DeltaLinks };

/** Why a tenant could not be read; `missingPermission` names the Graph permission to grant. */
export interface ReadFailure {
  code: 'authentication' | 'signInUnavailable' | 'forbidden' | 'throttled' | 'incomplete' | 'vigilFault';
  reason: string;
  missingPermission?: string | undefined;
}

export type PageRead =
  /** `ends`: the page is the last of that kind's collection (the two collections are read beside each other, their pages interleaved). */
  | { kind: 'page'; changes: DirectoryChange[]; ends?: DirectoryObjectKind | undefined }
  | { kind: 'done'; links?: DeltaLinks | undefined }
  /** Graph refused a stored delta link (expired or reset): read everything again. */
  | { kind: 'deltaRefused'; reason: string }
  | { kind: 'failed'; failure: ReadFailure };

/**
 * Streams a tenant's applications and service principals page by page, so memory does not grow with
 * the tenant. The last item is always `done`, `deltaRefused` or `failed`: a read never just stops.
 */
export interface DirectoryPager {
  read(request: ReadRequest): AsyncIterable<PageRead>;
}
