import { vaultTagNames } from '../vault/vaultTagNames.js';
import type { PasswordCredentialInfo, Rotation } from './Rotation.js';

/** Key Vault allows at most 15 tags per secret: Vigil's own come first, carried-over ones fill the rest. */
const maxTags = 15;

/** Tags Vigil puts on a Key Vault version it writes: which app and key it holds, until when, from which rotation. */
export function versionTags(rotation: Rotation, credential: PasswordCredentialInfo): Record<string, string> {
  const own: Record<string, string> = {
    [vaultTagNames.tenantId]: rotation.tenantId,
    [vaultTagNames.appId]: rotation.application.appId,
    [vaultTagNames.keyId]: credential.keyId,
    [vaultTagNames.expires]: credential.endDateTime,
    [vaultTagNames.rotationId]: rotation.id,
  };
  const carried = Object.entries(rotation.vault.tags).filter(([name]) => !(name in own));
  return { ...Object.fromEntries(carried.slice(0, maxTags - Object.keys(own).length)), ...own };
}

/** Routing hints for events from the secret's tags, as the rest of Vigil reads them. */
export function routingFromTags(tags: Record<string, string>): Rotation['routing'] {
  return {
    ...(tags[vaultTagNames.owner] ? { owner: tags[vaultTagNames.owner] } : {}),
    ...(tags[vaultTagNames.team] ? { team: tags[vaultTagNames.team] } : {}),
    ...(tags[vaultTagNames.downstream] ? { downstream: tags[vaultTagNames.downstream] } : {}),
  };
}
