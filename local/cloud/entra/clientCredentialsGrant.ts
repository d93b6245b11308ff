import { authenticateClient } from './authenticateClient.js';
import { resolveResource, rolesFor } from './resolveResource.js';
import { isFailure, type EntraFailureSpec, type TokenRequest, type TokenResponse } from './tokenRequest.js';

/** `grant_type=client_credentials`: one resource's `/.default` scope, app roles from the service principal. */
export async function clientCredentialsGrant(request: TokenRequest): Promise<TokenResponse | EntraFailureSpec> {
  const { ctx, tenant, form } = request;
  const client = authenticateClient(ctx.store, tenant, form, request.tokenEndpoints);
  if (isFailure(client)) return client;
  const scope = (form.get('scope') ?? '').trim();
  if (!scope)
    return { error: 'invalid_request', code: 900144, description: "The request body must contain the following parameter: 'scope'." };
  if (scope.includes(' ') || !scope.endsWith('/.default')) {
    return {
      error: 'invalid_scope',
      code: 1002012,
      description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    };
  }
  const resource = resolveResource(ctx.store, request.cloud, tenant, scope.slice(0, -'/.default'.length));
  if (typeof resource !== 'string') return resource;
  const { token, expiresIn } = await ctx.tokens.issue({
    issuer: request.issuer,
    tenantId: tenant.id,
    appId: client.app.appId,
    audience: resource,
    objectId: client.servicePrincipal.id,
    roles: rolesFor(tenant, client.app.appId, resource),
  });
  return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
}
