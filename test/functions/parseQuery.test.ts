import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../functions/parseQuery.js';
import { dashboardQuerySchema } from '../../shared/dashboard/dashboardQuerySchema.js';
import { pageQuerySchema } from '../../shared/paging/pageQuerySchema.js';

const get = (query: string) => new HttpRequest({ method: 'GET', url: `https://vigil.example/api/connections?${query}` });

describe('parseQuery', () => {
  it('leaves the function key sent as code= out of every query, strict ones included', () => {
    expect(parseQuery(get('code=the-function-key&$top=5'), pageQuerySchema)).toEqual({ ok: true, value: { $top: 5 } });
    const dashboard = parseQuery(get('code=the-function-key&format=csv'), dashboardQuerySchema);
    expect(dashboard.ok && dashboard.value).toMatchObject({ format: 'csv' });
    expect(JSON.stringify(dashboard)).not.toContain('the-function-key');
  });

  it('still names a parameter that is not the query’s', () => {
    const parsed = parseQuery(get('code=k&$tpo=5'), pageQuerySchema);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && String(parsed.response.body)).toContain('$tpo');
  });
});
