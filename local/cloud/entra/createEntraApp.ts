import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudApp } from '../http/createHttpsListener.js';
import type { CloudName } from '../state/model.js';
import { addAuthorizeRoutes } from './addAuthorizeRoutes.js';
import { authorizationCodeGrant } from './authorizationCodeGrant.js';
import { clientCredentialsGrant } from './clientCredentialsGrant.js';
import { entraError } from './entraError.js';
import { refreshTokenGrant } from './refreshTokenGrant.js';
import { isFailure, type EntraFailureSpec, type TokenRequest, type TokenResponse } from './tokenRequest.js';

const grants: Record<string, (request: TokenRequest) => Promise<TokenResponse | EntraFailureSpec>> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

/** The Microsoft identity platform v2 endpoints of one cloud: discovery, signing keys, sign-in and the token endpoint. */
export function createEntraApp(ctx: EmulatorContext, cloud: CloudName): CloudApp {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const authority = () => ctx.endpoints.clouds[cloud]!.login;
  const tenantOf = (segment: string) => {
    const tenant = ctx.store.directory.tenant(segment);
    return tenant && tenant.record.cloud === cloud ? tenant : undefined;
  };
  const unknownTenant = (segment: string, correlationId: string | undefined) =>
    entraError(ctx.store.now(), correlationId, {
      error: 'invalid_request',
      code: 90002,
      description: `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    const tenant = tenantOf(c.req.param('tenant'));
    if (!tenant) {
      const failure = unknownTenant(c.req.param('tenant'), c.req.header('client-request-id'));
      return c.json(failure.body, failure.status);
    }
    const base = `${authority()}/${tenant.id}`;
    return c.json({
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      jwks_uri: `${authority()}/${tenant.id}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(authority()).host,
    });
  });

  app.get('/:tenant/discovery/v2.0/keys', (c) => c.json(ctx.tokens.jwks()));
  addAuthorizeRoutes(app, ctx, cloud);

  app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    const correlationId = c.req.header('client-request-id');
    const segment = c.req.param('tenant');
    const tenant = tenantOf(segment);
    if (!tenant) {
      const failure = unknownTenant(segment, correlationId);
      return c.json(failure.body, failure.status);
    }
    const form = new URLSearchParams(await c.req.text());
    applyBasicAuthentication(form, c.req.header('authorization'));
    const grantType = form.get('grant_type') ?? '';
    const grant = grants[grantType];
    const outcome: TokenResponse | EntraFailureSpec = grant
      ? await grant({
          ctx,
          cloud,
          tenant,
          issuer: `${authority()}/${tenant.id}/v2.0`,
          form,
          tokenEndpoints: [...new Set([tenant.id, segment])].map((t) => `${authority()}/${t}/oauth2/v2.0/token`),
        })
      : { error: 'unsupported_grant_type', code: 70003, description: `The app requested an unsupported grant type '${grantType}'.` };
    c.header('cache-control', 'no-store, no-cache');
    if (isFailure(outcome)) {
      const failure = entraError(ctx.store.now(), correlationId, outcome);
      return c.json(failure.body, failure.status);
    }
    return c.json(outcome);
  });
  return app;
}

/** `client_secret_basic`: client id and secret in an HTTP Basic header instead of the form. */
function applyBasicAuthentication(form: URLSearchParams, header: string | undefined): void {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return;
  const [id, secret] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent);
  if (id && !form.has('client_id')) form.set('client_id', id);
  if (secret && !form.has('client_secret')) form.set('client_secret', secret);
}
