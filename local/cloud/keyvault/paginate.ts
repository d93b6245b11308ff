import { badParameter, type KeyVaultFailure } from './keyVaultErrors.js';

export interface KeyVaultPage<T> {
  value: T[];
  nextLink: string | null;
}

const defaultPageSize = 25;
const maxPageSize = 25;

/**
 * One page of a list, Key Vault style: `maxresults` 1–25 (default 25), and an absolute `nextLink`
 * carrying `api-version`, `$skiptoken` and `maxresults` (the SDK GETs it as is), `null` on the last page.
 * The skip token is an opaque offset into the list, which the caller keeps in a stable order. Only the
 * page's own records are rendered: a vault of 10,000 secrets is listed in 400 pages.
 */
export function paginate<R, T>(
  records: readonly R[],
  render: (record: R) => T,
  query: URLSearchParams,
  listUrl: string,
  apiVersion: string,
): KeyVaultPage<T> | KeyVaultFailure {
  const maxResultsText = query.get('maxresults');
  const pageSize = maxResultsText === null ? defaultPageSize : Number(maxResultsText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    // Wording not confirmed against the service.
    return badParameter(`The value of maxresults must be an integer between 1 and ${maxPageSize}; got '${maxResultsText ?? ''}'.`);
  }
  const offset = fromSkipToken(query.get('$skiptoken'));
  if (offset === undefined) return badParameter('The $skiptoken is invalid.');
  const value = records.slice(offset, offset + pageSize).map(render);
  const next = offset + pageSize;
  if (next >= records.length) return { value, nextLink: null };
  const maxResults = maxResultsText === null ? '' : `&maxresults=${pageSize}`;
  return { value, nextLink: `${listUrl}?api-version=${encodeURIComponent(apiVersion)}&$skiptoken=${toSkipToken(next)}${maxResults}` };
}

export function isPage<T>(result: KeyVaultPage<T> | KeyVaultFailure): result is KeyVaultPage<T> {
  return 'value' in result;
}

function toSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function fromSkipToken(token: string | null): number | undefined {
  if (token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    return typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0 ? parsed.offset : undefined;
  } catch {
    return undefined;
  }
}
