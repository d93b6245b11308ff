import type { AppRoleRecord, KeyCredentialRecord, PasswordCredentialRecord } from '../state/model.js';

export type Resource = Record<string, unknown>;
/** Graph never returns a secret after addPassword: `secretText` is null and the hash stays inside the emulator. */
export function toPasswordCredentialResource(c: PasswordCredentialRecord): Resource {
  return {
    customKeyIdentifier: null,
    displayName: c.displayName,
    endDateTime: c.endDateTime,
    hint: c.hint,
    keyId: c.keyId,
    secretText: null,
    startDateTime: c.startDateTime,
  };
}

/** `key` is non-null only when one object is read with `$select=keyCredentials` (Graph keyCredential docs). */
export function toKeyCredentialResource(c: KeyCredentialRecord, includeKey: boolean): Resource {
  return {
    customKeyIdentifier: c.customKeyIdentifier,
    displayName: c.displayName,
    endDateTime: c.endDateTime,
    key: includeKey ? c.key : null,
    keyId: c.keyId,
    startDateTime: c.startDateTime,
    type: c.type,
    usage: c.usage,
  };
}

/** An app role as applications and service principals show it (roles for apps, `allowedMemberTypes: Application`). */
export function toAppRoleResource(r: AppRoleRecord): Resource {
  return {
    allowedMemberTypes: ['Application'],
    description: r.displayName,
    displayName: r.displayName,
    id: r.id,
    isEnabled: true,
    origin: 'Application',
    value: r.value,
  };
}
