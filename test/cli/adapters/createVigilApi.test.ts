import type { TokenCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createVigilApi } from '../../../cli/adapters/createVigilApi.js';

const TOKEN = 'eyJ.secret-token.sig';
const credential: TokenCredential = { getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** fetch at the module boundary: answers from `pages` by URL, and keeps every request it saw. */
function fakeFetch(answer: (url: URL) => Response) {
  const seen: Array<{ url: URL; headers: Record<string, string> }> = [];
  const fetch = (async (input: URL, init?: RequestInit) => {
    seen.push({ url: input, headers: init?.headers as Record<string, string> });
    return answer(input);
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}
const api = (fetch: typeof globalThis.fetch, over: Partial<Parameters<typeof createVigilApi>[0]> = {}) =>
  createVigilApi({
    apiUrl: 'https://vigil.example/api',
    scope: 'api://vigil/.default',
    credential,
    credentialDescription: 'app x from the environment',
    functionKey: 'fn-key',
    fetch,
    ...over,
  });

describe('createVigilApi', () => {
  it('follows nextLink to the last page, with the token and function key on every request', async () => {
    const { fetch, seen } = fakeFetch((url) =>
      url.searchParams.get('$skipToken') === 'p2'
        ? json({ value: [{ id: 3 }], unscanned: [] })
        : json({
            value: [{ id: 1 }, { id: 2 }],
            nextLink: 'https://vigil.example/api/findings?severity=high&$skipToken=p2',
            unscanned: [],
          }),
    );
    const listed = await api(fetch).list('findings', { severity: 'high', tenant: undefined });
    expect(listed).toMatchObject({ kind: 'ok', items: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    expect(seen.map((s) => s.url.toString())).toEqual([
      'https://vigil.example/api/findings?severity=high',
      'https://vigil.example/api/findings?severity=high&$skipToken=p2',
    ]);
    for (const request of seen) expect(request.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-functions-key': 'fn-key' });
  });

  it('refuses the pre-paging shapes ({ count, connections }, a bare array) as not a list, rather than read a page as the whole', async () => {
    for (const body of [{ count: 1, connections: [{ name: 'b' }] }, [{ name: 'a' }]])
      expect(await api(fakeFetch(() => json(body)).fetch).list('connections', {})).toMatchObject({
        kind: 'problem',
        problem: { title: 'Not a list', detail: expect.stringContaining('this version of Vigil') },
      });
  });

  it('does not send the token to a nextLink on another host, and names it without its query', async () => {
    const { fetch, seen } = fakeFetch(() => json({ value: [], nextLink: 'https://elsewhere.example/api/findings?$skipToken=x' }));
    expect(await api(fetch).list('findings')).toEqual({ kind: 'foreignLink', url: 'https://elsewhere.example/api/findings' });
    expect(seen).toHaveLength(1);
  });

  it('turns an error status into its problem, and a body that is none into one from the status', async () => {
    const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'needs Vigil.Rotate', missingRole: 'Vigil.Rotate' };
    expect(await api(fakeFetch(() => json(problem, 403)).fetch).call('POST', 'scans', { body: {} })).toMatchObject({
      kind: 'problem',
      status: 403,
      method: 'POST',
      url: 'https://vigil.example/api/scans',
      problem: { missingRole: 'Vigil.Rotate' },
    });
    const refused = await api(fakeFetch(() => json({ ...problem, status: 401, reason: 'expired' }, 401)).fetch).call('GET', 'findings');
    expect(JSON.stringify(refused)).not.toContain(TOKEN);
    const gateway = await api(
      fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })).fetch,
    ).call('GET', 'health');
    expect(gateway).toMatchObject({ kind: 'problem', status: 502, problem: { title: 'Bad Gateway', detail: '<html>Bad gateway</html>' } });
    const filtered = await api(fakeFetch(() => json(problem, 403)).fetch).call('GET', 'findings', { query: { severity: 'high' } });
    expect(filtered).toMatchObject({ kind: 'problem', url: 'https://vigil.example/api/findings' });
  });

  it('says why sign-in failed without asking Vigil, and sends no token to an anonymous route', async () => {
    const failing: TokenCredential = {
      getToken: async () => {
        throw new Error('AADSTS7000215: Invalid client secret provided.\nTrace ID: 1\nCorrelation ID: 2\nTimestamp: 3');
      },
    };
    const { fetch, seen } = fakeFetch(() => json({ status: 'ok' }));
    expect(await api(fetch, { credential: failing }).call('GET', 'findings')).toEqual({
      kind: 'signInFailed',
      credential: 'app x from the environment',
      message: 'AADSTS7000215: Invalid client secret provided.',
    });
    const cli: TokenCredential = {
      getToken: async () => {
        throw new Error('Please run az login to set up an account.\n\nTo troubleshoot, visit https://aka.ms/x\nmore\nand more');
      },
    };
    expect(await api(fetch, { credential: cli }).call('GET', 'findings')).toMatchObject({
      message: 'Please run az login to set up an account. To troubleshoot, visit https://aka.ms/x more',
    });
    expect(seen).toHaveLength(0);
    await api(fetch, { credential: failing }).call('GET', 'health', { anonymous: true });
    expect(seen[0]!.headers['authorization']).toBeUndefined();
  });

  it('names the URL without its query and the reason by its code when Vigil cannot be reached', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7071'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof globalThis.fetch;
    expect(await api(refused).call('GET', 'findings', { query: { severity: 'high' } })).toEqual({
      kind: 'unreachable',
      url: 'https://vigil.example/api/findings',
      message: 'the connection failed (ECONNREFUSED)',
    });
  });

  it('names a list that is not one by its URL without the query, whatever the API URL carried', async () => {
    const CANARY = 'canary-key-51be';
    const outcome = await api(fakeFetch(() => json([{ name: 'a' }])).fetch, { apiUrl: `https://vigil.example/api?code=${CANARY}` }).list(
      'connections',
    );
    expect(outcome).toMatchObject({ kind: 'problem', url: 'https://vigil.example/api', problem: { title: 'Not a list' } });
    expect(JSON.stringify(outcome)).not.toContain(CANARY);
  });

  it('never prints a function key fetch refuses to send, and calls it the CLI’s request, named by the error class only', async () => {
    // fetch's own refusal of a key with a line break (a paste that kept one) quotes the value.
    const outcome = await createVigilApi({
      apiUrl: 'https://vigil.example/api',
      scope: 'api://vigil/.default',
      credential,
      credentialDescription: 'app x from the environment',
      functionKey: 'fn-secret\nkey',
      timeoutMs: 1_000,
    }).call('GET', 'health', { anonymous: true });
    expect(outcome).toEqual({ kind: 'requestNotMade', url: 'https://vigil.example/api/health', errorName: 'TypeError' });
  });
});
