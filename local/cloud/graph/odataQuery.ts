import type { CollectionInfo } from './directoryCollections.js';
import { failure, type GraphFailure } from './graphResponses.js';

export type Parsed<T> = { ok: true; value: T } | GraphFailure;

export const defaultPageSize = 100;
export const maxPageSize = 999;

/** `$select=id,appId`: property names are matched without regard to case and returned as Graph spells them. */
export function parseSelect(raw: string | null, info: CollectionInfo): Parsed<string[] | undefined> {
  if (raw === null) return { ok: true, value: undefined };
  const names: string[] = [];
  for (const name of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const known = info.properties.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) return failure(400, 'BadRequest', `Could not find a property named '${name}' on type '${info.entityType}'.`);
    if (!names.includes(known)) names.push(known);
  }
  return { ok: true, value: names.length > 0 ? names : undefined };
}

/** `$top`: 1 to 999 on directory collections; anything else fails the request (it is not capped). */
export function parseTop(raw: string | null): Parsed<number> {
  if (raw === null) return { ok: true, value: defaultPageSize };
  const top = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || top < 1 || top > maxPageSize) {
    return failure(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${maxPageSize} inclusive.`,
    );
  }
  return { ok: true, value: top };
}

export interface FilterClause {
  property: string;
  operator: 'eq' | 'startswith';
  value: string;
}

const eqClause = /\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*/iy;
const inClause = /\s*([A-Za-z]+)\s+in\s+\(\s*('(?:[^']|'')*'(?:\s*,\s*'(?:[^']|'')*')*)\s*\)\s*/iy;
/** Graph's default limit on the values of one `in` expression (learn.microsoft.com/graph/filter-query-parameter). */
export const maxInValues = 15;
const startsWithClause = /\s*startswith\(\s*([A-Za-z]+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*/iy;
const orSeparator = /or\b/iy;

/**
 * The `$filter` forms the emulator supports: `prop eq 'v'` and `prop in ('v','w')` (as many eq clauses,
 * at most 15 values) on the collection's filterable properties and `startswith(displayName,'v')`, joined
 * by `or`. Anything else gets Graph's Request_UnsupportedQuery.
 */
export function parseFilter(
  raw: string | null,
  info: CollectionInfo,
  allowed: readonly string[] = info.filterable,
): Parsed<FilterClause[] | undefined> {
  if (raw === null) return { ok: true, value: undefined };
  const clauses: FilterClause[] = [];
  let at = 0;
  for (;;) {
    const list = readInClause(raw, at);
    const clause = list ?? readClause(raw, at);
    if (!clause) return unsupportedFilter(raw.slice(at), info);
    const property = allowed.find((p) => p.toLowerCase() === clause.property.toLowerCase());
    if (!property || (clause.operator === 'startswith' && property !== 'displayName')) return unsupportedFilter(clause.property, info);
    if (list && list.values.length > maxInValues)
      return failure(400, 'Request_UnsupportedQuery', `The 'in' operator of the filter takes at most ${maxInValues} values.`);
    for (const value of list ? list.values : [clause.value]) clauses.push({ property, operator: 'eq', value });
    if (!list) clauses[clauses.length - 1]!.operator = clause.operator;
    at = clause.end;
    if (at >= raw.length) return { ok: true, value: clauses };
    orSeparator.lastIndex = at;
    if (!orSeparator.test(raw)) return unsupportedFilter(raw.slice(at), info);
    at = orSeparator.lastIndex;
  }
}

function readInClause(raw: string, at: number): (FilterClause & { end: number; values: string[] }) | undefined {
  inClause.lastIndex = at;
  const match = inClause.exec(raw);
  if (!match) return undefined;
  const values = [...match[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  return { property: match[1]!, operator: 'eq', value: values[0] ?? '', values, end: inClause.lastIndex };
}

function readClause(raw: string, at: number): (FilterClause & { end: number }) | undefined {
  for (const [pattern, operator] of [
    [eqClause, 'eq'],
    [startsWithClause, 'startswith'],
  ] as const) {
    pattern.lastIndex = at;
    const match = pattern.exec(raw);
    if (match) return { property: match[1]!, operator, value: match[2]!.replace(/''/g, "'"), end: pattern.lastIndex };
  }
  return undefined;
}

function unsupportedFilter(text: string, info: CollectionInfo): GraphFailure {
  const property = /[A-Za-z]+/.exec(text.replace(/^\s*(?:not|startswith|endswith|contains)\(?/i, ''))?.[0] ?? text.trim();
  return failure(
    400,
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${info.resourceName}'.`,
  );
}

/**
 * Directory string comparisons ignore case, as Entra's do. The filterable properties have the same
 * names and values on the stored records as on the resources, so records are filtered without building
 * a resource for each.
 */
export function matchesFilter(object: object, clauses: readonly FilterClause[] | undefined): boolean {
  if (!clauses) return true;
  const values = object as Record<string, unknown>;
  return clauses.some((c) => {
    const actual = values[c.property];
    if (typeof actual !== 'string') return false;
    return c.operator === 'eq' ? actual.toLowerCase() === c.value.toLowerCase() : actual.toLowerCase().startsWith(c.value.toLowerCase());
  });
}

/** Query options Graph supports that the emulator does not: refused loudly rather than ignored. */
export function rejectOptions(query: URLSearchParams, options: readonly string[]): GraphFailure | undefined {
  const found = options.find((o) => query.has(o));
  return found ? failure(400, 'Request_UnsupportedQuery', `The local cloud does not emulate the query option '${found}' here.`) : undefined;
}
