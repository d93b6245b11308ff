import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { invalidBody, invalidQuery } from '../../functions/problem.js';

const bodyOf = (response: { body?: unknown }) =>
  JSON.parse(String(response.body)) as { type: string; detail: string; errors: Array<{ field: string; message: string }> };

describe('invalid query and body problems', () => {
  it('name each unknown query parameter by itself, beside the bad values of known ones', () => {
    const schema = z.strictObject({ severity: z.array(z.string()).optional(), $top: z.coerce.number().optional() });
    const parsed = schema.safeParse({ $tpo: '5', colour: 'red', $top: 'many' });

    const problem = bodyOf(invalidQuery(parsed.error!));

    expect(problem.type).toBe('urn:vigil:problem:invalidQuery');
    expect(problem.errors).toHaveLength(3);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: '$tpo', message: 'Unknown parameter' },
        { field: 'colour', message: 'Unknown parameter' },
        { field: '$top', message: expect.stringContaining('number') },
      ]),
    );
    expect(problem.detail).toContain('$tpo: Unknown parameter; colour: Unknown parameter');
  });

  it('name an unknown body field by its path, nested ones included', () => {
    const schema = z.strictObject({ lifetimeDays: z.number().optional(), vault: z.strictObject({ url: z.string() }) });
    const parsed = schema.safeParse({ lifetimeDay: 30, vault: { url: 'https://kv', urll: 'x' } });

    const { errors } = bodyOf(invalidBody(parsed.error!));

    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'lifetimeDay', message: 'Unknown field' },
        { field: 'vault.urll', message: 'Unknown field' },
      ]),
    );
  });
});
