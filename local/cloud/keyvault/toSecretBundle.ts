import type { SecretAttributesRecord, SecretRecord, SecretVersionRecord } from '../state/model.js';

/**
 * Stored secrets as Key Vault puts them on the wire. Field order and omissions follow the service's
 * recorded answers: `contentType` and `tags` only when set, times in Unix seconds, and no `value` on
 * update, delete, recover or in lists.
 */
export interface SecretAttributesJson {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

export interface SecretItemJson {
  id: string;
  attributes: SecretAttributesJson;
  tags?: Record<string, string>;
  contentType?: string;
}

export interface SecretBundleJson extends SecretItemJson {
  value?: string;
}

export interface DeletedSecretJson extends SecretItemJson {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

export function toAttributesJson(a: SecretAttributesRecord): SecretAttributesJson {
  return {
    enabled: a.enabled,
    ...(a.nbf !== undefined ? { nbf: a.nbf } : {}),
    ...(a.exp !== undefined ? { exp: a.exp } : {}),
    created: a.created,
    updated: a.updated,
    recoveryLevel: a.recoveryLevel,
    recoverableDays: a.recoverableDays,
  };
}

/** `https://{vault}/secrets/{name}` or, with a version, `…/{name}/{version}`. */
export function secretId(baseUrl: string, name: string, version?: string): string {
  return version ? `${baseUrl}/secrets/${name}/${version}` : `${baseUrl}/secrets/${name}`;
}

function toSecretJson(id: string, v: SecretVersionRecord): SecretItemJson {
  return {
    ...(v.contentType !== null ? { contentType: v.contentType } : {}),
    id,
    attributes: toAttributesJson(v.attributes),
    ...(Object.keys(v.tags).length > 0 ? { tags: { ...v.tags } } : {}),
  };
}

/**
 * Seeded values may point at the local cloud's own sinks (a Teams Workflow URL) with this marker, so they
 * stay right whichever port the sinks listen on in this run.
 */
export const SINKS_URL_MARKER = '{{local-cloud-sinks}}';

export function toSecretBundle(
  baseUrl: string,
  name: string,
  v: SecretVersionRecord,
  options: { withValue: boolean; sinksUrl?: string },
): SecretBundleJson {
  const json = toSecretJson(secretId(baseUrl, name, v.version), v);
  if (!options.withValue) return json;
  const value = options.sinksUrl ? v.value.replaceAll(SINKS_URL_MARKER, options.sinksUrl) : v.value;
  return { value, ...json };
}

/** A list entry: the secrets list names the secret only, the versions list names each version. */
export function toSecretItem(baseUrl: string, name: string, v: SecretVersionRecord, options: { withVersion: boolean }): SecretItemJson {
  return toSecretJson(secretId(baseUrl, name, options.withVersion ? v.version : undefined), v);
}

/** A soft-deleted secret, described by its current version; the bundle names the version, list items do not. */
export function toDeletedSecret(baseUrl: string, secret: SecretRecord, options: { withVersion: boolean }): DeletedSecretJson {
  const current = secret.versions.at(-1);
  if (!current || secret.deletedDate === undefined || secret.scheduledPurgeDate === undefined) {
    throw new Error(`secret ${secret.name} is not a deleted secret with versions`);
  }
  return {
    recoveryId: `${baseUrl}/deletedsecrets/${secret.name}`,
    deletedDate: secret.deletedDate,
    scheduledPurgeDate: secret.scheduledPurgeDate,
    ...toSecretItem(baseUrl, secret.name, current, options),
  };
}
