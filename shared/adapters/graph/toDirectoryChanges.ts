import type { CredentialRecord, DirectoryChange, DirectoryObject, DirectoryObjectKind } from '../../scanner/DirectoryObject.js';

export type DirectoryCollection = 'applications' | 'servicePrincipals';

/** What the scanner selects: ids, names and credential metadata; `key` (certificate bytes) never. */
export const directorySelects: Record<DirectoryCollection, readonly string[]> = {
  applications: ['id', 'appId', 'displayName', 'createdDateTime', 'passwordCredentials', 'keyCredentials'],
  servicePrincipals: [
    'id',
    'appId',
    'displayName',
    'servicePrincipalType',
    'preferredSingleSignOnMode',
    'preferredTokenSigningKeyEndDateTime',
    'passwordCredentials',
    'keyCredentials',
  ],
};

interface CredentialItem {
  keyId: string;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  usage?: string | null;
  customKeyIdentifier?: string | null;
}

/** One object of a page as Graph sends it; only what `directorySelects` asks for. */
export interface DirectoryItem {
  id: string;
  '@removed'?: unknown;
  appId?: string | null;
  displayName?: string | null;
  createdDateTime?: string | null;
  servicePrincipalType?: string | null;
  preferredSingleSignOnMode?: string | null;
  preferredTokenSigningKeyEndDateTime?: string | null;
  passwordCredentials?: CredentialItem[] | null;
  keyCredentials?: CredentialItem[] | null;
}

export interface DirectoryPage {
  value: DirectoryItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCredential = (c: unknown) =>
  isRecord(c) &&
  typeof c['keyId'] === 'string' &&
  optionalString(c['displayName']) &&
  optionalString(c['startDateTime']) &&
  optionalString(c['endDateTime']) &&
  optionalString(c['usage']) &&
  optionalString(c['customKeyIdentifier']);
const isCredentials = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.every(isCredential));
const stringProperties = [
  'appId',
  'displayName',
  'createdDateTime',
  'servicePrincipalType',
  'preferredSingleSignOnMode',
  'preferredTokenSigningKeyEndDateTime',
] as const;

/** `stringProperties.every(...)` without a closure made per item of every page. */
function everyOptionalString(v: Record<string, unknown>): boolean {
  for (const p of stringProperties) if (!optionalString(v[p])) return false;
  return true;
}

export function isDirectoryItem(v: unknown): v is DirectoryItem {
  return (
    isRecord(v) &&
    typeof v['id'] === 'string' &&
    everyOptionalString(v) &&
    isCredentials(v['passwordCredentials']) &&
    isCredentials(v['keyCredentials'])
  );
}

/**
 * Checks a page's shape in place. Hand-written rather than a zod schema on purpose: a schema would copy
 * every object of every 999-item page, on the path every scanned object takes.
 */
export function toDirectoryPage(body: unknown): DirectoryPage | undefined {
  if (
    !isRecord(body) ||
    !Array.isArray(body['value']) ||
    !optionalString(body['@odata.nextLink']) ||
    !optionalString(body['@odata.deltaLink'])
  )
    return undefined;
  return body['value'].every(isDirectoryItem) ? (body as unknown as DirectoryPage) : undefined;
}

/** The kind of object each collection lists. */
export const objectKindOf: Record<DirectoryCollection, DirectoryObjectKind> = {
  applications: 'application',
  servicePrincipals: 'servicePrincipal',
};

/**
 * One item of a page as a change. A delta item may carry only the properties that changed: without both
 * credential collections it is `partial`, and the caller reads the whole object. Managed identities are
 * skipped: Azure rotates their certificates itself.
 */
export function toDirectoryChange(item: DirectoryItem, collection: DirectoryCollection): DirectoryChange | 'partial' | undefined {
  const objectKind = objectKindOf[collection];
  if (item['@removed'] !== undefined) return { kind: 'removed', objectKind, id: item.id };
  if (item.servicePrincipalType === 'ManagedIdentity') return undefined;
  if (!item.passwordCredentials || !item.keyCredentials) return 'partial';
  const object: DirectoryObject = {
    kind: objectKind,
    id: item.id,
    appId: item.appId ?? '',
    displayName: item.displayName ?? item.appId ?? item.id,
    createdDateTime: item.createdDateTime ?? null,
    passwordCredentials: toCredentials(item.passwordCredentials),
    keyCredentials: toCredentials(item.keyCredentials),
    preferredSingleSignOnMode: item.preferredSingleSignOnMode ?? null,
    preferredTokenSigningKeyEndDateTime: item.preferredTokenSigningKeyEndDateTime ?? null,
  };
  return { kind: 'present', object };
}

/** The list of an object that holds none: most service principals, both lists. Shared, so frozen. */
const NONE: readonly CredentialRecord[] = Object.freeze([]);

/**
 * Credentials without an end never expire and are left out. A loop, not flatMap: this runs for both lists of
 * every object of every page, and flatMap made an array per credential besides the list. An empty result is the
 * shared list: a tenant of 200 apps lists about 1,000 objects, 800 of them service principals, most with no credential.
 */
function toCredentials(list: readonly CredentialItem[]): readonly CredentialRecord[] {
  if (list.length === 0) return NONE;
  const credentials: CredentialRecord[] = [];
  for (const c of list) {
    if (!c.endDateTime) continue;
    credentials.push({
      keyId: c.keyId,
      displayName: c.displayName ?? null,
      startDateTime: c.startDateTime ?? null,
      endDateTime: c.endDateTime,
      usage: c.usage ?? undefined,
      customKeyIdentifier: c.customKeyIdentifier ?? null,
    });
  }
  return credentials.length > 0 ? credentials : NONE;
}
