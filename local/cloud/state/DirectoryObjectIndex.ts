import type { ApplicationRecord, ServicePrincipalRecord } from './model.js';

export type DirectoryObjectRecord = ApplicationRecord | ServicePrincipalRecord;

/** How Graph addresses one object: `/applications/{id}` or `/applications(appId='{appId}')`. */
export interface ObjectKey {
  by: 'id' | 'appId';
  value: string;
}

/** One page of a listing: the objects, and whether more follow. */
export interface IndexPage<T> {
  items: T[];
  more: boolean;
}

/** Which changes a delta page wants: `since < changeSeq <= upTo`, after the change `afterSeq` already sent. */
export interface ChangeQuery {
  since: number;
  upTo: number;
  afterSeq: number;
  limit: number;
  /** `$filter=id eq …` of the round, lower-cased. */
  ids?: readonly string[] | undefined;
  /** The first round reports what exists: deleted objects are left out. */
  skipDeleted: boolean;
}

export const isDeleted = (object: DirectoryObjectRecord): boolean => 'deleted' in object && object.deleted;

const compareIds = (a: DirectoryObjectRecord, b: DirectoryObjectRecord): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The applications or the service principals of one tenant, indexed the ways Graph reads them: by object
 * id and app id (alternate key), in id order for `$skiptoken` paging, and in change order for delta. The
 * records stay in the tenant's plain array (the saved state); this index is rebuilt from it on load.
 * Lookups are O(1), a page costs O(log n + page), so 100,000 objects list as fast as 100.
 */
export class DirectoryObjectIndex<T extends DirectoryObjectRecord> {
  private readonly byId = new Map<string, T>();
  private readonly byAppId = new Map<string, T>();
  /** Objects in id order; rebuilt lazily after additions (bulk seeding sorts once). */
  private sorted: T[] | undefined;
  /** Every touch in change order; an entry is current while its seq is the object's changeSeq. */
  private log: Array<{ seq: number; object: T }> = [];

  constructor(private readonly records: T[]) {
    for (const record of records) this.index(record);
    this.log = [...records].sort((a, b) => a.changeSeq - b.changeSeq).map((object) => ({ seq: object.changeSeq, object }));
  }

  add(record: T): void {
    this.records.push(record);
    this.index(record);
    this.sorted = undefined;
  }

  /** Takes an object out of the directory altogether (a scenario replacing a service principal before anyone read it). */
  remove(record: T): void {
    const at = this.records.indexOf(record);
    if (at >= 0) this.records.splice(at, 1);
    this.byId.delete(record.id.toLowerCase());
    if (this.byAppId.get(record.appId.toLowerCase()) === record) this.byAppId.delete(record.appId.toLowerCase());
    this.log = this.log.filter((entry) => entry.object !== record);
    this.sorted = undefined;
  }

  /** Records a change (the caller has set `changeSeq`), for delta rounds. */
  changed(record: T): void {
    this.log.push({ seq: record.changeSeq, object: record });
    if (this.log.length > 2 * this.records.length + 1000) this.log = this.log.filter((entry) => entry.seq === entry.object.changeSeq);
  }

  /** A live (not deleted) object by id or app id, ignoring case as Graph does. */
  find(key: ObjectKey): T | undefined {
    const found = (key.by === 'id' ? this.byId : this.byAppId).get(key.value.toLowerCase());
    return found && !isDeleted(found) ? found : undefined;
  }

  all(): readonly T[] {
    return this.records;
  }

  /** Live objects after `afterId` in id order that `matches`, up to `limit`. */
  page(afterId: string, limit: number, matches: (object: T) => boolean): IndexPage<T> {
    const sorted = (this.sorted ??= [...this.records].sort(compareIds));
    const items: T[] = [];
    for (let i = firstAfter(sorted, (o) => o.id > afterId); i < sorted.length; i += 1) {
      const object = sorted[i]!;
      if (isDeleted(object) || !matches(object)) continue;
      if (items.length === limit) return { items, more: true };
      items.push(object);
    }
    return { items, more: false };
  }

  /** Live objects with any of `keys` (`$filter=appId eq … or id eq …`), after `afterId` in id order: no walk of the tenant. */
  pageOfKeys(keys: readonly ObjectKey[], afterId: string, limit: number): IndexPage<T> {
    const found = new Set(keys.flatMap((key) => this.find(key) ?? []));
    return takePage([...found].filter((o) => o.id > afterId).sort(compareIds), limit);
  }

  /** Changed objects for one delta page, in change order: each object once, at its latest change. */
  changes(query: ChangeQuery): IndexPage<T> {
    const wanted = (object: T) =>
      object.changeSeq > Math.max(query.since, query.afterSeq) &&
      object.changeSeq <= query.upTo &&
      !(query.skipDeleted && isDeleted(object));
    if (query.ids) {
      const scoped = query.ids.flatMap((id) => this.byId.get(id) ?? []).filter(wanted);
      return takePage(
        scoped.sort((a, b) => a.changeSeq - b.changeSeq),
        query.limit,
      );
    }
    const items: T[] = [];
    const from = Math.max(query.since, query.afterSeq);
    for (let i = firstAfter(this.log, (e) => e.seq > from); i < this.log.length; i += 1) {
      const { seq, object } = this.log[i]!;
      if (seq > query.upTo) break;
      if (seq !== object.changeSeq || !wanted(object)) continue;
      if (items.length === query.limit) return { items, more: true };
      items.push(object);
    }
    return { items, more: false };
  }

  private index(record: T): void {
    this.byId.set(record.id.toLowerCase(), record);
    // Service principals are one per app id in a tenant; of applications, the live one wins.
    const appKey = record.appId.toLowerCase();
    const current = this.byAppId.get(appKey);
    if (!current || isDeleted(current)) this.byAppId.set(appKey, record);
  }
}

function takePage<T>(items: T[], limit: number): IndexPage<T> {
  return { items: items.slice(0, limit), more: items.length > limit };
}

/** The first index whose element satisfies `isAfter` in an array where it holds for a suffix (binary search). */
function firstAfter<E>(items: readonly E[], isAfter: (item: E) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isAfter(items[mid]!)) high = mid;
    else low = mid + 1;
  }
  return low;
}
