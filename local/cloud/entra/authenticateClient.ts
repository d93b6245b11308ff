import type { CloudStore } from '../state/CloudStore.js';
import { sha256 } from '../state/credentials.js';
import type { ApplicationRecord, ServicePrincipalRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { EntraFailureSpec } from './tokenRequest.js';
import { JWT_BEARER, verifyClientAssertion } from './verifyClientAssertion.js';

export interface AuthenticatedClient {
  app: ApplicationRecord;
  servicePrincipal: ServicePrincipalRecord;
}

/**
 * Checks `client_id` and either `client_secret` against the application's current password credentials
 * or a certificate `client_assertion` against its uploaded certificates, read from the directory on
 * every request so that added, removed and expired credentials apply at once. `tokenEndpoints`: the
 * URLs an assertion's audience may name (the endpoint as called, by tenant id or domain).
 */
export function authenticateClient(
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
    const refused = verifyClientAssertion(app, assertion, tokenEndpoints, store.now().getTime());
    return refused ?? { app, servicePrincipal };
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
  return { app, servicePrincipal };
}

export function missingParameter(name: string): EntraFailureSpec {
  return { error: 'invalid_request', code: 900144, description: `The request body must contain the following parameter: '${name}'.` };
}
