import type { CloudStore } from '../state/CloudStore.js';
import { sha256 } from '../state/credentials.js';
import type { ApplicationRecord, ServicePrincipalRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { isFailure, type EntraFailureSpec } from './tokenRequest.js';
import { JWT_BEARER, verifyClientAssertion, type SeenAssertions } from './verifyClientAssertion.js';

export interface AuthenticatedClient {
  app: ApplicationRecord;
  servicePrincipal: ServicePrincipalRecord;
  /** The credential it proved it holds. */
  credential: { keyId: string; keyType: 'clientSecret' | 'certificate'; startDateTime: string; endDateTime: string };
}

/** App ids of the resources a sign-in is for, as Entra's usage report names them (`resourceId`). */
const resourceAppIds: Record<string, string> = {
  'https://graph.microsoft.com': '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.us': '00000003-0000-0000-c000-000000000000',
  'https://outlook.office.com': '00000002-0000-0ff1-ce00-000000000000',
  'https://outlook.office365.com': '00000002-0000-0ff1-ce00-000000000000',
};

/**
 * Checks the client (`checkClient`) and records the sign-in with the credential it used, as Entra's usage
 * report would show it: the credential's app, in the tenant the app is registered in, and the resource
 * the first requested scope names.
 */
export function authenticateClient(
  store: CloudStore,
  tenant: TenantDirectory,
  form: URLSearchParams,
  tokenEndpoints: readonly string[],
): AuthenticatedClient | EntraFailureSpec {
  const client = checkClient(store, tenant, form, tokenEndpoints);
  if (isFailure(client)) return client;
  const home = store.directory.application(client.app.appId);
  const scope = (form.get('scope') ?? '').split(' ').find((s) => s.includes('/'));
  const audience = scope ? scope.slice(0, scope.lastIndexOf('/')) : 'https://graph.microsoft.com';
  if (home)
    store.directory.recordCredentialUse(home.tenant, {
      keyId: client.credential.keyId,
      keyType: client.credential.keyType,
      appId: client.app.appId,
      appObjectId: client.app.id,
      servicePrincipalObjectId: home.tenant.servicePrincipalOf(client.app.appId)?.id ?? null,
      resourceId: resourceAppIds[audience] ?? store.directory.api(audience)?.appId ?? null,
      credentialOrigin: 'application',
      createdDateTime: client.credential.startDateTime,
      expirationDateTime: client.credential.endDateTime,
      lastSignInDateTime: store.now().toISOString(),
    });
  return client;
}

/**
 * Checks `client_id` and either `client_secret` against the application's current password credentials
 * or a certificate `client_assertion` against its uploaded certificates, read from the directory on
 * every request so that added, removed and expired credentials apply at once. `tokenEndpoints`: the
 * URLs an assertion's audience may name (the endpoint as called, by tenant id or domain).
 */
function checkClient(
  store: CloudStore,
  tenant: TenantDirectory,
  form: URLSearchParams,
  tokenEndpoints: readonly string[],
): AuthenticatedClient | EntraFailureSpec {
  const clientId = form.get('client_id') ?? undefined;
  const clientSecret = form.get('client_secret') ?? undefined;
  const assertion = form.get('client_assertion') ?? undefined;
  if (!clientId) return missingParameter('client_id');
  const home = store.directory.application(clientId);
  const servicePrincipal = tenant.servicePrincipalOf(clientId);
  if (!home || !servicePrincipal) {
    return {
      error: 'unauthorized_client',
      code: 700016,
      description: `Application with identifier '${clientId}' was not found in the directory '${tenant.record.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    };
  }
  const app = home.app;
  if (app.disabled || !servicePrincipal.accountEnabled) {
    return { error: 'unauthorized_client', code: 7000112, description: `Application '${app.appId}'(${app.displayName}) is disabled.` };
  }
  if (assertion && !clientSecret) {
    if (form.get('client_assertion_type') !== JWT_BEARER) return missingParameter('client_assertion_type');
    const verified = verifyClientAssertion(app, assertion, tokenEndpoints, store.now().getTime(), seenAssertionsOf(store));
    if (isFailure(verified)) return verified;
    return { app, servicePrincipal, credential: { ...pick(verified), keyType: 'certificate' } };
  }
  if (!clientSecret) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    };
  }
  const hash = sha256(clientSecret);
  const credential = app.passwordCredentials.find((c) => c.secretHash === hash);
  const now = store.now().getTime();
  if (!credential || Date.parse(credential.startDateTime) > now) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
    };
  }
  if (Date.parse(credential.endDateTime) <= now) {
    return {
      status: 401,
      error: 'invalid_client',
      code: 7000222,
      description: `The provided client secret keys for app '${app.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    };
  }
  return { app, servicePrincipal, credential: { ...pick(credential), keyType: 'clientSecret' } };
}

/** One replay cache per local cloud: a store's life is the cloud's. */
const seenAssertions = new WeakMap<CloudStore, SeenAssertions>();
const seenAssertionsOf = (store: CloudStore): SeenAssertions =>
  seenAssertions.get(store) ?? seenAssertions.set(store, new Map()).get(store)!;

const pick = (c: { keyId: string; startDateTime: string; endDateTime: string }) => ({
  keyId: c.keyId,
  startDateTime: c.startDateTime,
  endDateTime: c.endDateTime,
});

export function missingParameter(name: string): EntraFailureSpec {
  return { error: 'invalid_request', code: 900144, description: `The request body must contain the following parameter: '${name}'.` };
}
