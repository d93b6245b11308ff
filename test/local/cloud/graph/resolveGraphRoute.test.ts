import { describe, expect, it } from 'vitest';
import { requestCost } from '../../../../local/cloud/graph/graphThrottle.js';
import { resolveGraphRoute } from '../../../../local/cloud/graph/resolveGraphRoute.js';

describe('resolveGraphRoute', () => {
  it.each([
    ['/applications', { kind: 'list', collection: 'applications' }, 'GET'],
    ['/servicePrincipals/', { kind: 'list', collection: 'servicePrincipals' }, 'GET'],
    ['/applications/delta', { kind: 'delta', collection: 'applications' }, 'GET'],
    ['/applications/$count', { kind: 'count', collection: 'applications' }, 'GET'],
    ['/applications/microsoft.graph.delta', { kind: 'delta', collection: 'applications' }, 'GET'],
    ['/applications/abc', { kind: 'object', collection: 'applications', key: { by: 'id', value: 'abc' } }, 'GET'],
    ["/applications(appId='xyz')", { kind: 'object', collection: 'applications', key: { by: 'appId', value: 'xyz' } }, 'GET'],
    ['/applications/abc/owners', { kind: 'owners', collection: 'applications', key: { by: 'id', value: 'abc' } }, 'GET'],
    [
      "/applications(appId='xyz')/addPassword",
      { kind: 'addPassword', collection: 'applications', key: { by: 'appId', value: 'xyz' } },
      'POST',
    ],
    [
      '/servicePrincipals/abc/removePassword',
      { kind: 'removePassword', collection: 'servicePrincipals', key: { by: 'id', value: 'abc' } },
      'POST',
    ],
    ['/users/ops@contoso.com/sendMail', { kind: 'sendMail', user: 'ops@contoso.com' }, 'POST'],
    ['/$batch', { kind: 'batch' }, 'POST'],
  ])('%s', (path, route, method) => {
    expect(resolveGraphRoute(path)).toEqual({ ok: true, route, method });
  });

  it.each([
    ['/groups', 'groups'],
    ['/applications/abc/extensionProperties', 'extensionProperties'],
    ['/users/ops@contoso.com/messages', 'messages'],
  ])('names the unknown segment of %s', (path, segment) => {
    expect(resolveGraphRoute(path)).toEqual({ ok: false, segment });
  });
});

describe('requestCost (identity and access limits)', () => {
  const cost = (method: string, path: string, query = '') => {
    const resolved = resolveGraphRoute(path);
    if (!resolved.ok) throw new Error(path);
    return requestCost(method, resolved.route, new URLSearchParams(query));
  };

  it.each([
    ['GET', '/applications', '', 2, 0],
    ['GET', '/applications', '$select=id', 1, 0],
    ['GET', '/applications', '$select=id&$top=10', 1, 0],
    ['GET', '/applications', '$top=19', 1, 0],
    ['GET', '/applications', '$top=20', 2, 0],
    ['GET', '/servicePrincipals', '', 1, 0],
    ['GET', '/applications/abc', '', 1, 0],
    ['POST', '/applications/abc/addPassword', '', 1, 1],
  ])('%s %s?%s costs %d RU and %d writes', (method, path, query, resourceUnits, writes) => {
    expect(cost(method, path, query)).toMatchObject({ resourceUnits, writes });
  });

  it('flags keyCredentials selects and leaves Outlook and $batch out', () => {
    expect(cost('GET', '/applications', '$select=id,KeyCredentials')?.selectsKeyCredentials).toBe(true);
    expect(cost('POST', '/users/a@b.c/sendMail')).toBeUndefined();
    expect(cost('POST', '/$batch')).toBeUndefined();
  });
});
