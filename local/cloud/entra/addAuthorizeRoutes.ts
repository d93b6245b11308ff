import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import { passwordMatches } from '../state/credentials.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import { authorizationSessions, SIGN_IN_SCOPES, type PendingAuthorization } from './authorizationSessions.js';
import { matchesRedirectUri } from './matchesRedirectUri.js';
import { consentPage, errorPage, signInPage } from './renderEntraPage.js';

/**
 * The authorization endpoint (v2-oauth2-auth-code-flow): a sign-in page listing the tenant's users, a
 * consent page for scopes the user has not granted the app, then a redirect with a single-use code.
 * Errors that make the redirect URI untrustworthy (unknown app, unregistered redirect URI) stay on an
 * error page, as Entra does; the others go back to the app as `error` and `error_description`.
 */
export function addAuthorizeRoutes(app: CloudApp, ctx: EmulatorContext, cloud: CloudName): void {
  const sessions = authorizationSessions(ctx.store);
  const path = '/:tenant/oauth2/v2.0/authorize';
  const tenantOf = (segment: string) => {
    const tenant = ctx.store.directory.tenant(segment);
    return tenant && tenant.record.cloud === cloud ? tenant : undefined;
  };
  const page = (c: Context, html: string, status: 200 | 400 = 200) => c.html(html, status, { 'cache-control': 'no-store' });
  const fail = (c: Context, code: number, message: string) => page(c, errorPage(code, message, randomUUID()), 400);

  app.get(path, (c) => {
    const tenant = tenantOf(c.req.param('tenant'));
    if (!tenant) return fail(c, 90002, `Tenant '${c.req.param('tenant')}' not found.`);
    const started = startAuthorization(ctx, tenant, new URL(c.req.url).searchParams);
    if (started.kind === 'page') return fail(c, started.code, started.message);
    if (started.kind === 'redirect') return c.redirect(started.location, 302);
    const pending = sessions.begin(started.request);
    return page(c, signInForm(ctx, tenant, pending, c.req.path, undefined));
  });

  app.post(path, async (c) => {
    const tenant = tenantOf(c.req.param('tenant'));
    const form = new URLSearchParams(await c.req.text());
    const pending = sessions.find(form.get('request') ?? '');
    if (!tenant || !pending || pending.tenantId !== tenant.id)
      return fail(c, 50089, 'Authentication failed due to flow token expired. Start the sign-in again from the application.');
    const user = tenant.user(form.get('username') ?? '');
    if (!user) return page(c, signInForm(ctx, tenant, pending, c.req.path, 'AADSTS50034: This account does not exist in the directory.'));
    if (!passwordMatches(user, form.get('password') ?? ''))
      return page(
        c,
        signInForm(ctx, tenant, pending, c.req.path, 'AADSTS50126: Error validating credentials due to invalid username or password.'),
      );
    if (!user.accountEnabled) return fail(c, 50057, 'The user account is disabled.');
    pending.userId = user.id;
    const missing = missingConsent(tenant, pending, user.id);
    if (missing.length === 0) return c.redirect(withCode(pending, sessions.issueCode(pending, user.id)), 302);
    const appName = ctx.store.directory.application(pending.clientAppId)?.app.displayName ?? pending.clientAppId;
    return page(
      c,
      consentPage({ action: `${c.req.path}/consent`, requestId: pending.id, appName, user: user.userPrincipalName, scopes: missing }),
    );
  });

  app.post(`${path}/consent`, async (c) => {
    const tenant = tenantOf(c.req.param('tenant'));
    const form = new URLSearchParams(await c.req.text());
    const pending = sessions.find(form.get('request') ?? '');
    if (!tenant || !pending?.userId || pending.tenantId !== tenant.id)
      return fail(c, 50089, 'Authentication failed due to flow token expired. Start the sign-in again from the application.');
    if (form.get('decision') !== 'accept') {
      sessions.end(pending.id);
      return c.redirect(
        redirectTo(pending.redirectUri, {
          error: 'access_denied',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
          ...(pending.state !== undefined ? { state: pending.state } : {}),
        }),
        302,
      );
    }
    grantConsent(ctx, tenant, pending, pending.userId);
    return c.redirect(withCode(pending, sessions.issueCode(pending, pending.userId)), 302);
  });
}

type Started =
  | { kind: 'signIn'; request: Omit<PendingAuthorization, 'id' | 'expiresAt'> }
  | { kind: 'page'; code: number; message: string }
  | { kind: 'redirect'; location: string };

function startAuthorization(ctx: EmulatorContext, tenant: TenantDirectory, query: URLSearchParams): Started {
  const clientId = query.get('client_id');
  if (!clientId) return { kind: 'page', code: 900144, message: "The request body must contain the following parameter: 'client_id'." };
  const home = ctx.store.directory.application(clientId);
  const servicePrincipal = tenant.servicePrincipalOf(clientId);
  if (!home || !servicePrincipal)
    return {
      kind: 'page',
      code: 700016,
      message: `Application with identifier '${clientId}' was not found in the directory '${tenant.record.displayName}'.`,
    };
  if (home.app.disabled || !servicePrincipal.accountEnabled)
    return { kind: 'page', code: 7000112, message: `Application '${clientId}'(${home.app.displayName}) is disabled.` };
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!matchesRedirectUri(redirectUri, home.app.webRedirectUris))
    return {
      kind: 'page',
      code: 50011,
      message: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    };
  const state = query.get('state') ?? undefined;
  const back = (error: string, description: string): Started => ({
    kind: 'redirect',
    location: redirectTo(redirectUri, { error, error_description: description, ...(state !== undefined ? { state } : {}) }),
  });
  if (query.get('response_type') !== 'code')
    return back(
      'unsupported_response_type',
      `AADSTS700054: response_type '${query.get('response_type') ?? ''}' is not enabled for the application.`,
    );
  if ((query.get('response_mode') ?? 'query') !== 'query')
    return back('invalid_request', 'AADSTS9002313: Invalid request. The local cloud supports response_mode=query only.');
  const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) return back('invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'.");
  const method = query.get('code_challenge_method') ?? 'plain';
  if (method !== 'S256' && method !== 'plain') return back('invalid_request', `AADSTS501491: Invalid code_challenge_method '${method}'.`);
  return {
    kind: 'signIn',
    request: {
      tenantId: tenant.id,
      clientAppId: home.app.appId,
      redirectUri,
      scopes,
      state,
      nonce: query.get('nonce') ?? undefined,
      codeChallenge: query.get('code_challenge') ?? undefined,
      codeChallengeMethod: method,
      loginHint: query.get('login_hint') ?? undefined,
    },
  };
}

function signInForm(
  ctx: EmulatorContext,
  tenant: TenantDirectory,
  pending: PendingAuthorization,
  action: string,
  error: string | undefined,
) {
  return signInPage({
    action,
    requestId: pending.id,
    appName: ctx.store.directory.application(pending.clientAppId)?.app.displayName ?? pending.clientAppId,
    users: tenant.record.users,
    selected: pending.loginHint,
    error,
  });
}

function missingConsent(tenant: TenantDirectory, pending: PendingAuthorization, userId: string): string[] {
  const grant = tenant.grant(pending.clientAppId, userId);
  return pending.scopes.filter((s) => !SIGN_IN_SCOPES.has(s) && !grant?.scopes.includes(s));
}

/** Consent adds the requested scopes to what the user already granted the app. */
function grantConsent(ctx: EmulatorContext, tenant: TenantDirectory, pending: PendingAuthorization, userId: string): void {
  const wanted = pending.scopes.filter((s) => !SIGN_IN_SCOPES.has(s));
  const granted = tenant.grant(pending.clientAppId, userId)?.scopes ?? [];
  ctx.store.directory.grantConsent(tenant, pending.clientAppId, userId, [...new Set([...granted, ...wanted])]);
}

function withCode(pending: PendingAuthorization, code: string): string {
  return redirectTo(pending.redirectUri, {
    code,
    ...(pending.state !== undefined ? { state: pending.state } : {}),
    session_state: randomUUID(),
  });
}

/** Appends the response to the redirect URI's query, keeping any query it has (reply-url.md allows one). */
function redirectTo(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return url.toString();
}
