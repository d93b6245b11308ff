import type { z } from 'zod';
import { parseStored } from './parseStored.js';

/** What rows read together share: one copy of each equal value among them. */
export interface RowValuePool {
  /** The first equal string read, so that later rows hold that one and their own copy goes with the page. */
  text<T extends string | undefined>(value: T): T;
  /** A JSON column parsed once per distinct text (parseStored): rows with the same text share one read-only value. */
  parsed<S extends z.ZodType>(schema: S, text: unknown): z.output<S> | undefined;
}

/**
 * A pool for one read of many rows. Each row parsed from a page holds its own copy of every string, yet
 * the rows of one vault repeat most of theirs: its URL, the tenants, scopes, owners and teams, and the
 * facts of the few app credentials their connections sign in with. A pool lives as long as the read:
 * what it keeps alive afterwards is only what the rows themselves hold.
 */
export function createRowValuePool(): RowValuePool {
  const texts = new Map<string, string>();
  // Per schema, so that one text read through two schemas is parsed by each.
  const parsed = new Map<z.ZodType, Map<string, unknown>>();
  return {
    text(value) {
      if (value === undefined) return value;
      const first = texts.get(value);
      if (first !== undefined) return first as typeof value;
      texts.set(value, value);
      return value;
    },
    parsed<S extends z.ZodType>(schema: S, text: unknown) {
      if (typeof text !== 'string') return undefined;
      const bySchema = parsed.get(schema) ?? new Map<string, unknown>();
      parsed.set(schema, bySchema);
      // Only parseStored(schema, …) puts values under this schema.
      if (bySchema.has(text)) return bySchema.get(text) as z.output<S> | undefined;
      const value = parseStored(schema, text);
      bySchema.set(text, value);
      return value;
    },
  };
}
