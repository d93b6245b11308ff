import type { CredentialRecord, DirectoryObject } from './DirectoryObject.js';
import type { CredentialFacts, CredentialType, VaultCopy } from './Finding.js';
import { appCredentialsLink, servicePrincipalCredentialsLink } from './portalLinks.js';

/** What the facts of one object depend on beyond the object itself. */
export interface FactsContext {
  tenantId: string;
  /** The tenant's cloud portal, e.g. `https://portal.azure.us`. */
  portal: string;
  /** The vault secret linked (by tags) to an app's credential, if any. */
  copyOf(appId: string, keyId: string): VaultCopy | undefined;
  /** Whether an application (by object id) has a federated identity credential. */
  isFederated(objectId: string): boolean;
}

interface Typed {
  type: CredentialType;
  credential: CredentialRecord;
}

/**
 * The facts of every credential of an application or service principal. Credentials are compared only
 * with others of the same type: a system configured with a client secret cannot fall back on a
 * certificate, so only a newer secret makes an expiring secret harmless.
 */
export function credentialFactsOf(object: DirectoryObject, context: FactsContext): CredentialFacts[] {
  // Most service principals of a tenant (Microsoft's own among them) hold no credential: nothing is built for them,
  // not even the empty lists classify would make (a many-tenant scan judges about 800 such objects per tenant).
  if (!holdsCredential(object)) return [];
  const typed = classify(object);
  if (typed.length === 0) return [];
  const portalUrl =
    object.kind === 'application'
      ? appCredentialsLink(context.portal, context.tenantId, object.appId)
      : servicePrincipalCredentialsLink(context.portal, context.tenantId, object.id, object.appId);
  return typed.map(({ type, credential }) => ({
    tenantId: context.tenantId,
    subjectKind: object.kind,
    objectId: object.id,
    appId: object.appId,
    subjectName: object.displayName,
    keyId: credential.keyId,
    credentialType: type,
    credentialName: credential.displayName,
    startDateTime: credential.startDateTime ?? null,
    endDateTime: credential.endDateTime,
    outlivedBy: outliving(credential, type, typed),
    vaultCopy: context.copyOf(object.appId, credential.keyId) ?? null,
    portalUrl,
    federated: object.kind === 'application' && context.isFederated(object.id),
  }));
}

/** Whether classify can find anything: a credential listed, or a SAML signing key's end date alone. */
const holdsCredential = (object: DirectoryObject): boolean =>
  object.passwordCredentials.length > 0 || object.keyCredentials.length > 0 || Boolean(object.preferredTokenSigningKeyEndDateTime);

/** The credential of the same type that ends last, if it ends after this one (each end parsed once, no list made per credential). */
function outliving(credential: CredentialRecord, type: CredentialType, typed: readonly Typed[]): CredentialFacts['outlivedBy'] {
  let latest: CredentialRecord | undefined;
  let latestEnd = Date.parse(credential.endDateTime);
  for (const other of typed) {
    if (other.type !== type || other.credential.keyId === credential.keyId) continue;
    const end = Date.parse(other.credential.endDateTime);
    if (end > latestEnd) {
      latest = other.credential;
      latestEnd = end;
    }
  }
  return latest ? { keyId: latest.keyId, endDateTime: latest.endDateTime } : null;
}

/**
 * Applications: secrets and certificates. Service principals: a SAML app's certificate shows as a `Sign`
 * key with a `Verify` twin (and, in Entra, a password holding its private key) sharing one
 * customKeyIdentifier; the twin parts are the same certificate and are not reported twice. When only
 * `preferredTokenSigningKeyEndDateTime` tells of the signing certificate, that date is reported.
 */
function classify(object: DirectoryObject): Typed[] {
  if (object.kind === 'application') {
    const typed: Typed[] = [];
    for (const c of object.passwordCredentials) typed.push({ type: 'password', credential: c });
    for (const c of object.keyCredentials) typed.push({ type: 'certificate', credential: c });
    return typed;
  }
  const signing = object.keyCredentials.filter((c) => c.usage === 'Sign');
  const signingIds = new Set(signing.map((c) => c.customKeyIdentifier).filter((id): id is string => Boolean(id)));
  const isTwin = (c: CredentialRecord) => Boolean(c.customKeyIdentifier) && signingIds.has(c.customKeyIdentifier!);
  const typed: Typed[] = [
    ...signing.map((c) => ({ type: 'samlSigning' as const, credential: c })),
    ...object.keyCredentials.filter((c) => c.usage !== 'Sign' && !isTwin(c)).map((c) => ({ type: 'certificate' as const, credential: c })),
    ...object.passwordCredentials.filter((c) => !isTwin(c)).map((c) => ({ type: 'password' as const, credential: c })),
  ];
  const preferredEnd = object.preferredTokenSigningKeyEndDateTime;
  if (signing.length === 0 && preferredEnd && object.preferredSingleSignOnMode === 'saml') {
    typed.push({
      type: 'samlSigning',
      credential: { keyId: 'preferredTokenSigningKey', displayName: 'SAML signing certificate', endDateTime: preferredEnd },
    });
  }
  return typed;
}
