import { randomUUID } from 'node:crypto';

/** Who the dev host signs a browser in as, standing in for App Service Authentication. */
export interface PageSignIn {
  tenantId: string;
  name: string;
  roles: string[];
}

const operatorObjectId = randomUUID();

/**
 * What App Service Authentication does in front of the app, for the dev host: it always strips
 * `x-ms-client-principal*` from incoming requests (so they cannot be forged), and signs a browser's
 * page views and form posts in as the local operator, whatever site the form came from, as a session
 * cookie would: Vigil's own form checks must stop a cross-site post. API clients without a token still get Vigil's own 401.
 */
export function applyPlatformSignIn(
  headers: Record<string, string>,
  method: string,
  signIn: PageSignIn | undefined,
): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('x-ms-client-principal')));
  // A browser: a page view, or a form posted from a page (the platform's session cookie goes with both).
  const isForm = method === 'POST' && (kept['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const isPageView = (isForm || (method === 'GET' && (kept['accept'] ?? '').includes('text/html'))) && !kept['authorization'];
  if (!signIn || !isPageView) return kept;
  const principal = {
    auth_typ: 'aad',
    name_typ: 'name',
    role_typ: 'roles',
    claims: [
      { typ: 'tid', val: signIn.tenantId },
      { typ: 'oid', val: operatorObjectId },
      { typ: 'name', val: signIn.name },
      ...signIn.roles.map((role) => ({ typ: 'roles', val: role })),
    ],
  };
  return {
    ...kept,
    'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'x-ms-client-principal-name': signIn.name,
    'x-ms-client-principal-idp': 'aad',
    'x-ms-client-principal-id': operatorObjectId,
  };
}
