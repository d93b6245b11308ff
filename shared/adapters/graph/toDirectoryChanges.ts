import { z } from 'zod';
import type { CredentialRecord, DirectoryChange, DirectoryObject, DirectoryObjectKind } from '../../scanner/DirectoryObject.js';

export type DirectoryCollection = 'applications' | 'servicePrincipals';

/** What the scanner selects: ids, names and credential metadata; `key` (certificate bytes) never. */
export const directorySelects: Record<DirectoryCollection, readonly string[]> = {
  applications: ['id', 'appId', 'displayName', 'passwordCredentials', 'keyCredentials'],
  servicePrincipals: ['id', 'appId', 'displayName', 'servicePrincipalType', 'preferredSingleSignOnMode', 'preferredTokenSigningKeyEndDateTime', 'passwordCredentials', 'keyCredentials'],
};

const credentialSchema = z.object({
  keyId: z.string(),
  displayName: z.string().nullish(),
  endDateTime: z.string().nullish(),
  usage: z.string().nullish(),
  customKeyIdentifier: z.string().nullish(),
});

const itemSchema = z.object({
  id: z.string(),
  '@removed': z.unknown().optional(),
  appId: z.string().nullish(),
  displayName: z.string().nullish(),
  servicePrincipalType: z.string().nullish(),
  preferredSingleSignOnMode: z.string().nullish(),
  preferredTokenSigningKeyEndDateTime: z.string().nullish(),
  passwordCredentials: z.array(credentialSchema).nullish(),
  keyCredentials: z.array(credentialSchema).nullish(),
});
export type DirectoryItem = z.infer<typeof itemSchema>;

export const pageSchema = z.object({ value: z.array(itemSchema), '@odata.nextLink': z.string().optional(), '@odata.deltaLink': z.string().optional() });
export const itemOnlySchema = itemSchema;

const kinds: Record<DirectoryCollection, DirectoryObjectKind> = { applications: 'application', servicePrincipals: 'servicePrincipal' };

/**
 * One item of a page as a change. A delta item may carry only the properties that changed: without both
 * credential collections it is `partial`, and the caller reads the whole object. Managed identities are
 * skipped: Azure rotates their certificates itself.
 */
export function toDirectoryChange(item: DirectoryItem, collection: DirectoryCollection): DirectoryChange | 'partial' | undefined {
  const objectKind = kinds[collection];
  if (item['@removed'] !== undefined) return { kind: 'removed', objectKind, id: item.id };
  if (item.servicePrincipalType === 'ManagedIdentity') return undefined;
  if (!item.passwordCredentials || !item.keyCredentials) return 'partial';
  const object: DirectoryObject = {
    kind: objectKind,
    id: item.id,
    appId: item.appId ?? '',
    displayName: item.displayName ?? item.appId ?? item.id,
    passwordCredentials: toCredentials(item.passwordCredentials),
    keyCredentials: toCredentials(item.keyCredentials),
    preferredSingleSignOnMode: item.preferredSingleSignOnMode ?? null,
    preferredTokenSigningKeyEndDateTime: item.preferredTokenSigningKeyEndDateTime ?? null,
  };
  return { kind: 'present', object };
}

/** Credentials without an end never expire and are left out. */
function toCredentials(list: ReadonlyArray<z.infer<typeof credentialSchema>>): CredentialRecord[] {
  return list.flatMap((c) => (c.endDateTime ? [{ keyId: c.keyId, displayName: c.displayName ?? null, endDateTime: c.endDateTime, usage: c.usage ?? undefined, customKeyIdentifier: c.customKeyIdentifier ?? null }] : []));
}
