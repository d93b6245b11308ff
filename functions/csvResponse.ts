import type { HttpResponseInit } from '@azure/functions';

/**
 * A CSV download (`format=csv`): an attachment by that file name, never stored by a browser or proxy cache,
 * as the JSON and HTML it mirrors are not: it lists tenants, apps and credentials.
 */
export function csvResponse(filename: string, body: string): HttpResponseInit {
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
    body,
  };
}
