import type { Finding } from '../../../shared/scanner/Finding.js';
import { KeptFindings } from '../../../shared/scanner/KeptFindings.js';

/** Freezes a value and everything it holds, so a change in place throws (ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/**
 * A store's kept findings for the scanner's tests, each frozen as it is read and as the scan sees it
 * (`seenAs`, `readAll`): `readAll` hands out the same finding on every read, so a scan that changed one in
 * place would change what it compares with later; here that throws. Typing them `Readonly` does not guard
 * it: a spread, a cast or a callee typed `Finding` takes it off.
 */
export class FrozenKeptFindings extends KeptFindings {
  constructor(rows: ReadonlyMap<string, string>, read: (row: string) => Finding, watchedObjects: ReadonlySet<string>) {
    super(rows, (row) => deepFreeze(read(row)), watchedObjects);
  }

  override seenAs(view: (f: Finding) => Finding): KeptFindings {
    return super.seenAs((f) => deepFreeze(view(f)));
  }

  override readAll(view: (f: Finding) => Finding): Map<string, Finding> {
    return super.readAll((f) => deepFreeze(view(f)));
  }
}
