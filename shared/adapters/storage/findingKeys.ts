import { severities, type Severity } from '../../events/vigilEvent.js';
import { findingKey, type Finding } from '../../scanner/Finding.js';

/**
 * Where a finding's rows live. Table Storage sorts by PartitionKey, then RowKey, and serves ranges of
 * them cheaply, so the keys spell the urgency order: severity (most severe first), then the end time
 * (soonest first). Partitions are one month of end dates per severity: small enough that Table Storage
 * (about 2,000 entities/s per partition) and Azurite (whose lookups slow down with a partition's size)
 * take a first scan's thousands of findings in parallel, large enough that a scan writes them in full
 * transactions of 100 rather than one request each.
 *
 * - Tenant rows (the scanner's memory, and a tenant's list): `{tenant}~{rank}{yyyy-mm}` / `{end}~{key}`.
 * - Index rows (every tenant's findings in one order): `{rank}{yyyy-mm}` / `{end}~{tenant}~{key}`.
 * - By-app rows (client secrets of app registrations, found by their app id): `{first 2 of appId}` /
 *   `{appId}~{tenant}~{key}`. A refresh failing on its client secret, and the connections list, read one
 *   key range instead of every finding; 256 partitions let a first scan write them in transactions.
 *
 * Keys may not hold `/`, `\`, `#` or `?` (vault secret ids are URLs), so the finding key is base64url.
 */
export interface RowAddress {
  partitionKey: string;
  rowKey: string;
}

/** Severities from the most urgent down: `1` is critical, `5` info. */
export const rankOf = (severity: Severity): number => severities.length - severities.indexOf(severity);
export const ranks = severities.map((_, i) => i + 1);

const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** The end time as a sortable UTC ISO string (24 characters); a date that does not parse sorts last. */
export function endKeyOf(endDateTime: string): string {
  const ms = Date.parse(endDateTime);
  return new Date(Number.isNaN(ms) ? LATEST : Math.min(Math.max(ms, 0), LATEST)).toISOString();
}

const encodedKey = (f: Finding) => Buffer.from(findingKey(f), 'utf8').toString('base64url');
const bucketOf = (f: Finding) => `${rankOf(f.severity)}${endKeyOf(f.endDateTime).slice(0, 7)}`;

export function tenantRowOf(f: Finding): RowAddress {
  return { partitionKey: `${f.tenantId}~${bucketOf(f)}`, rowKey: `${endKeyOf(f.endDateTime)}~${encodedKey(f)}` };
}

export function indexRowOf(f: Finding): RowAddress {
  return { partitionKey: bucketOf(f), rowKey: `${endKeyOf(f.endDateTime)}~${f.tenantId}~${encodedKey(f)}` };
}

/** Whether a finding has a by-app row: a client secret of an app registration, the kind a connection uses. */
export const isAppClientSecret = (f: Finding): boolean =>
  f.subjectKind === 'application' && f.credentialType === 'password' && f.appId !== null;

/** Its by-app row: where the severity or end moves, the address stays. */
export function byAppRowOf(f: Finding): RowAddress {
  const appId = (f.appId ?? '').toLowerCase();
  return { partitionKey: byAppPartition(appId), rowKey: `${appId}~${f.tenantId}~${encodedKey(f)}` };
}

/** App ids are GUIDs: their first two characters spread the rows over 256 partitions. */
export const BY_APP_PARTITIONS = 256;
const byAppPartition = (appId: string): string => appId.toLowerCase().slice(0, 2);

/** The key range that holds one app's by-app rows. */
export function byAppRange(appId: string): { partitionKey: string; from: string; to: string } {
  const id = appId.toLowerCase();
  return { partitionKey: byAppPartition(id), from: `${id}~`, to: `${id}~~` };
}

/** Rows written before the urgency layout: one partition per tenant, the finding key as row key. */
export const legacyRowOf = (f: Finding): RowAddress => ({ partitionKey: f.tenantId, rowKey: encodedKey(f) });

export const sameAddress = (a: RowAddress, b: RowAddress): boolean => a.partitionKey === b.partitionKey && a.rowKey === b.rowKey;
