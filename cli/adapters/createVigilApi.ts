import type { TokenCredential } from '@azure/identity';
import type { ApiFailure, ApiOutcome } from '../ApiOutcome.js';
import { describeFailedRequest, requestNotMadeBy } from '../../shared/helpers/socketCodeOf.js';
import { toListPage } from '../toListPage.js';
import { readApiResponse } from './readApiResponse.js';

export interface CallInit {
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent without a token (`GET /api/health` is anonymous). */
  anonymous?: boolean;
}

/** Vigil's HTTP API as the commands need it: one call, or every page of a list. */
export interface VigilApi {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, init?: CallInit): Promise<ApiOutcome>;
  /** Every item of a list route, following `nextLink` page by page; `pages` are the bodies as they came. */
  list(path: string, query?: Record<string, string | undefined>): Promise<{ kind: 'ok'; items: unknown[]; pages: unknown[] } | ApiFailure>;
}

export interface VigilApiOptions {
  apiUrl: string;
  scope: string;
  credential: TokenCredential;
  credentialDescription: string;
  functionKey: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Calls Vigil with a bearer token for its API (asked for once per run) and the function key Azure
 * checks. The token and key go only to Vigil's own origin: a `nextLink` elsewhere is refused.
 */
export function createVigilApi(options: VigilApiOptions): VigilApi {
  const { apiUrl, scope, credential, credentialDescription, functionKey, fetch: send = fetch, timeoutMs = 60_000 } = options;
  const origin = new URL(apiUrl).origin;
  let token: Promise<{ token: string } | ApiFailure> | undefined;
  const bearer = () =>
    (token ??= credential.getToken(scope).then(
      (t) =>
        t ? { token: t.token } : { kind: 'signInFailed' as const, credential: credentialDescription, message: 'no token was issued' },
      (error: unknown) => ({ kind: 'signInFailed' as const, credential: credentialDescription, message: firstLines(error) }),
    ));

  const call: VigilApi['call'] = async (method, path, init = {}) => {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${apiUrl}/${path}`);
    if (url.origin !== origin) return { kind: 'foreignLink', url: withoutQuery(url) };
    for (const [name, value] of Object.entries(init.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (functionKey) headers['x-functions-key'] = functionKey;
    if (!init.anonymous) {
      const got = await bearer();
      if ('kind' in got) return got;
      headers['authorization'] = `Bearer ${got.token}`;
    }
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await send(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const notMade = requestNotMadeBy(error);
      // fetch refused what the CLI was given (a key with a line break, a URL it will not fetch): the person's input, not Vigil.
      if (notMade !== undefined) return { kind: 'requestNotMade', url: withoutQuery(url), errorName: notMade };
      return { kind: 'unreachable', url: withoutQuery(url), message: describeNetworkError(error, timeoutMs) };
    }
    return readApiResponse(response, method, withoutQuery(url));
  };

  return {
    call,
    async list(path, query) {
      const items: unknown[] = [];
      const pages: unknown[] = [];
      const visited = new Set<string>();
      let next: string | undefined;
      do {
        const outcome = next === undefined ? await call('GET', path, { query: query ?? {} }) : await call('GET', next);
        if (outcome.kind !== 'ok') return outcome;
        const page = toListPage(outcome.body);
        if (!page) return notAList(withoutQuery(new URL(`${apiUrl}/${path}`)));
        items.push(...page.items);
        pages.push(outcome.body);
        if (next !== undefined) visited.add(next);
        // A nextLink already followed would loop for ever: the list ends there.
        next = page.nextLink !== undefined && !visited.has(page.nextLink) ? page.nextLink : undefined;
      } while (next !== undefined);
      return { kind: 'ok', items, pages };
    },
  };
}

function notAList(url: string): ApiFailure {
  return {
    kind: 'problem',
    method: 'GET',
    url,
    status: 200,
    problem: { title: 'Not a list', detail: 'Vigil answered something that is not a list; is --url the API of this version of Vigil?' },
    retryAfter: undefined,
    body: undefined,
  };
}

/**
 * Why a call got no answer, in the words Vigil's own requests use (describeFailedRequest): the code fetch's cause
 * carries (ECONNREFUSED, ENOTFOUND, a TLS code), never a message, which may quote the URL or a header's value (fetch
 * refuses a function key with a line break by quoting it).
 */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  return describeFailedRequest(undefined, error);
}

/** A URL as the CLI prints it (in every failure: unreachable, a problem, a foreign link): its origin and path, never its query (a filter, a page's skip token). */
const withoutQuery = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * Credential errors run to pages of troubleshooting text: Entra's own sentence (`AADSTS7000215: Invalid
 * client secret provided. …`) when there is one, else the first lines.
 */
function firstLines(error: unknown, lines = 3): string {
  const text = error instanceof Error ? error.message : String(error);
  const entra = /AADSTS\d+: .*?(?= Trace ID:|$)/m.exec(text);
  if (entra) return entra[0].trim();
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, lines)
    .join(' ');
}
