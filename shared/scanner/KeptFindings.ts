import type { Finding } from './Finding.js';

/**
 * A tenant's last good findings as a scan holds them while it reads the directory: each as its stored
 * text, read into a finding (`read`: parsed, then seen as of the scan's moment) only when asked for. A
 * parsed finding takes about half as much memory again as its text, and a full scan holds every previous
 * finding of its tenant from its first page to its last write, while the few it compares at a time come
 * and go. Keyed by finding key (findingKey). Each parse makes a copy of the finding that soon becomes
 * garbage, and thousands of them at once grow the heap V8 keeps: a scan reads each row as few times as
 * it can (a finding's keys and objects are known without reading it again). A delta, which walks every
 * kept finding several times after Graph's last answer, reads them all once beforehand (`readAll`).
 */
export class KeptFindings implements ReadonlyMap<string, Finding> {
  constructor(
    private readonly rows: ReadonlyMap<string, string>,
    private readonly read: (row: string) => Finding,
    /** The objects of the kept findings, vault secrets aside (whose objects are no directory objects): gathered as the rows were first read. */
    readonly watchedObjects: ReadonlySet<string>,
  ) {}

  /** The same findings, each seen through `view` as it is read (asOf). */
  seenAs(view: (f: Finding) => Finding): KeptFindings {
    return new KeptFindings(this.rows, (row) => view(this.read(row)), this.watchedObjects);
  }

  /**
   * The same findings, each read now, once, and seen through `view`: for a scan that walks every one of them
   * several times (a delta judges each again, carries its evidence over and compares it), and holds them all
   * judged anyway. Read while Graph answers, not after: a row parses in about 0.1 ms, five times over before.
   */
  readAll(view: (f: Finding) => Finding): Map<string, Finding> {
    const findings = new Map<string, Finding>();
    for (const [key, row] of this.rows) findings.set(key, view(this.read(row)));
    return findings;
  }

  get size(): number {
    return this.rows.size;
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  get(key: string): Finding | undefined {
    const row = this.rows.get(key);
    return row === undefined ? undefined : this.read(row);
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  *values(): IterableIterator<Finding> {
    for (const row of this.rows.values()) yield this.read(row);
  }

  *entries(): IterableIterator<[string, Finding]> {
    for (const [key, row] of this.rows) yield [key, this.read(row)];
  }

  [Symbol.iterator](): IterableIterator<[string, Finding]> {
    return this.entries();
  }

  forEach(callback: (value: Finding, key: string, map: ReadonlyMap<string, Finding>) => void): void {
    for (const [key, finding] of this.entries()) callback(finding, key, this);
  }
}
