import type { FindingRecord, NotificationState, RouteState, Stored } from '../../../shared/notifications/NotificationState.js';

/**
 * The notification state in memory, with the table adapter's rules (a write conditional on the ETag it
 * was read with; an insert fails where a state exists), for unit tests of the delivery core.
 */
export function memoryNotificationState() {
  const routes = new Map<string, Stored<RouteState>>();
  const findings = new Map<string, FindingRecord>();
  let version = 0;
  const state: NotificationState = {
    async load(ids) {
      const wanted = new Set(ids);
      return {
        routes: new Map([...routes].filter(([key]) => wanted.has(key.slice(0, key.indexOf('/'))))),
        findings: new Map([...findings].filter(([id]) => wanted.has(id))),
      };
    },
    async commit({ key, next, etag }) {
      if (routes.get(key)?.etag !== etag) return 'conflict';
      routes.set(key, { value: structuredClone(next), etag: `v${++version}` });
      return 'committed';
    },
    async read(key) {
      return routes.get(key);
    },
    async recordFindings(records) {
      for (const r of records)
        findings.set(r.findingId, { ...r, ...(findings.get(r.findingId)?.snooze ? { snooze: findings.get(r.findingId)!.snooze } : {}) });
    },
    async getFinding(id) {
      return findings.get(id);
    },
    async setSnooze(id, snooze) {
      const f = findings.get(id);
      if (f) findings.set(id, { ...f, ...(snooze ? { snooze } : {}) });
    },
    async clearSnooze(id, until) {
      const f = findings.get(id);
      if (f?.snooze?.until === until) {
        const { snooze: _, ...rest } = f;
        findings.set(id, rest);
      }
    },
    async listOpen() {
      return [...routes].flatMap(([key, stored]) =>
        stored.value.status === 'open'
          ? [
              {
                findingId: key.slice(0, key.indexOf('/')),
                route: key.slice(key.indexOf('/') + 1),
                state: { ...stored, value: stored.value },
              },
            ]
          : [],
      );
    },
  };
  return { state, routes, findings };
}
