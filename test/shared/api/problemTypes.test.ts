import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemTypes } from '../../../shared/api/problemTypes.js';

describe('the problem types', () => {
  it('give each type its own title (RFC 9457 §4.2.1), and docs/api.md lists each with its status and title', () => {
    const titles = Object.values(problemTypes).map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    const doc = readFileSync('docs/api.md', 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \| (\d{3}) \| ([^|]+) \|$/gm)].map(([, type, status, title]) => [
      type,
      Number(status),
      title!.trim(),
    ]);
    expect(rows).toEqual(Object.entries(problemTypes).map(([type, { status, title }]) => [type, status, title]));
  });
});
