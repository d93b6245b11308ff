import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toEventJsonSchema } from '../../../shared/events/toEventJsonSchema.js';
import { vigilEventSchema } from '../../../shared/events/vigilEvent.js';
import { projectRoot } from '../../../local/paths.js';

const read = (file: string) => readFileSync(path.join(projectRoot, 'docs', file), 'utf8');
const eventTypes = vigilEventSchema.options.map((o) => o.shape.type.value);

/** Each `### \`type\`` section of docs/events.md and the JSON example under it. */
function documentedExamples(): Array<{ heading: string; example: unknown }> {
  const doc = read('events.md');
  return [...doc.matchAll(/^### `([a-z._]+)`\n[\s\S]*?```json\n([\s\S]*?)\n```/gm)].map(([, heading, json]) => ({
    heading: heading!,
    example: JSON.parse(json!) as unknown,
  }));
}

describe('docs/events.md and docs/events.schema.json', () => {
  it('keeps the JSON Schema file equal to the one generated from the model', () => {
    const committed = JSON.parse(read('events.schema.json')) as unknown;
    expect(committed, 'docs/events.schema.json is out of date: npm run build && node dist/local/bin/writeEventSchema.js').toEqual(
      toEventJsonSchema(),
    );
  });

  it('documents one example per event type, each valid against the schema it is generated from', () => {
    const examples = documentedExamples();
    expect(examples.map((e) => e.heading).sort()).toEqual([...eventTypes].sort());
    for (const { heading, example } of examples) {
      const parsed = vigilEventSchema.safeParse(example);
      expect(parsed.success, `${heading}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      // Output equals input: the example shows every field a consumer receives, defaults included.
      expect(parsed.data).toEqual(example);
      expect((example as { type: string }).type).toBe(heading);
    }
  });

  it('types every instant as a date-time, and every documented instant is one', () => {
    const instantNames = /^(time|endDateTime|expectedLapse|failedSince|since|retiresOldAt|lastSignIn|nextCheckAt)$/;
    const rfc3339 = z.iso.datetime({ offset: true });
    const untyped: string[] = [];
    let instants = 0;
    (function walk(node: unknown, at: string): void {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === 'properties' && value && typeof value === 'object') {
          for (const [name, property] of Object.entries(value as Record<string, Record<string, unknown>>)) {
            const variants = (property.anyOf as Array<Record<string, unknown>> | undefined) ?? [property];
            if (!instantNames.test(name)) continue;
            instants += 1;
            if (!variants.some((v) => v.format === 'date-time')) untyped.push(`${at}.${name}`);
          }
        }
        walk(value, `${at}.${key}`);
      }
    })(toEventJsonSchema(), '$');
    expect(instants).toBeGreaterThan(20);
    expect(untyped, 'instants without format: date-time').toEqual([]);
    const notInstants: string[] = [];
    for (const { heading, example } of documentedExamples()) {
      (function walk(node: unknown, at: string): void {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
        if (node === null || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
          if (instantNames.test(key) && typeof value === 'string' && !rfc3339.safeParse(value).success) notInstants.push(`${at}.${key}`);
          walk(value, `${at}.${key}`);
        }
      })(example, heading);
    }
    expect(notInstants, 'documented instants that are not RFC 3339').toEqual([]);
  });

  it('lists every event type in the schema', () => {
    const schema = toEventJsonSchema() as { oneOf: Array<{ properties: { type: { const: string } } }> };
    expect(schema.oneOf.map((s) => s.properties.type.const).sort()).toEqual([...eventTypes].sort());
  });
});
