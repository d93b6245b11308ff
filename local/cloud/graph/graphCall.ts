import type { EmulatorContext } from '../EmulatorContext.js';
import type { ObjectKey } from '../state/DirectoryObjectIndex.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';

export type { ObjectKey } from '../state/DirectoryObjectIndex.js';

/** The application behind a bearer token, and what the token lets it do. */
export interface GraphCaller {
  appId: string;
  /** The caller's service principal in the token's tenant (the `oid` claim of an app-only token). */
  objectId: string;
  /** App roles (`roles`) and delegated scopes (`scp`) the token carries. */
  permissions: ReadonlySet<string>;
}

/** Correlation values Graph puts in response headers and in every error's `innerError`. */
export interface RequestIds {
  requestId: string;
  clientRequestId: string;
  /** `innerError.date`: ISO-8601 without fraction or zone, as Graph writes it (`2023-04-20T01:33:53`). */
  date: string;
}

export type BodyRead = { ok: true; value: unknown } | { ok: false };

/** One authenticated Graph operation (an HTTP request or one item of a `$batch`), as route handlers see it. */
export interface GraphCall {
  readonly ctx: EmulatorContext;
  readonly cloud: CloudName;
  readonly method: string;
  /** The path below `/v1.0`, percent-decoded: `/applications(appId='…')/addPassword`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Scheme, host and port the client used; links Graph returns are absolute. */
  readonly origin: string;
  readonly headers: Headers;
  readonly ids: RequestIds;
  readonly caller: GraphCaller;
  readonly tenant: TenantDirectory;
  /** The JSON body, or `ok: false` when it is not JSON. An empty body reads as `undefined`. */
  readBody(): Promise<BodyRead>;
  /** Sends a request through the whole Graph pipeline again (authentication, throttling, routing): `$batch` items. */
  dispatch(request: Request): Promise<Response>;
}

export type DirectoryCollection = 'applications' | 'servicePrincipals';

/** What a request path names; `resolveGraphRoute` produces it, `dispatchGraphRequest` acts on it. */
export type GraphRoute =
  | { kind: 'list'; collection: DirectoryCollection }
  | { kind: 'count'; collection: DirectoryCollection }
  | { kind: 'delta'; collection: DirectoryCollection }
  | { kind: 'object'; collection: DirectoryCollection; key: ObjectKey }
  | { kind: 'owners'; collection: DirectoryCollection; key: ObjectKey }
  | { kind: 'addPassword' | 'removePassword'; collection: DirectoryCollection; key: ObjectKey }
  | { kind: 'federatedIdentityCredentials'; key: ObjectKey }
  | { kind: 'assignedPolicies'; collection: DirectoryCollection; key: ObjectKey }
  | { kind: 'tenantAppManagementPolicy' }
  | { kind: 'appManagementPolicies' }
  | { kind: 'policyAppliesTo'; policyId: string }
  | { kind: 'credentialActivity' }
  | { kind: 'sendMail'; user: string }
  | { kind: 'batch' };
