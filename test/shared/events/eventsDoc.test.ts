import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it('lists every event type in the schema', () => {
    const schema = toEventJsonSchema() as { oneOf: Array<{ properties: { type: { const: string } } }> };
    expect(schema.oneOf.map((s) => s.properties.type.const).sort()).toEqual([...eventTypes].sort());
  });
});
