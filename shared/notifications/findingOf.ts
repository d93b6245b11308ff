import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { VigilEvent } from '../events/vigilEvent.js';

/** The finding key of a channel's `delivery.failed` and `delivery.recovered`. */
export const deliveryFindingKey = (route: string, channel: string): string => `delivery|${route}|${channel}`;

/**
 * What an event does to a finding:
 * - `opens`: something needs a person (expiring, expired, stale, refresh failed, scan failed, …);
 * - `closes`: the recovery notice for what an `opens` event of the same finding reported;
 * - `notice`: a one-off that needs a person (a refused sign-in, a first scan's summary): routed and sent like an `opens` event,
 *   once per dedupe key, but it leaves nothing open: no reminders, no recovery notice;
 * - `info`: a record (token refreshed, scan completed) that reaches only routes naming its type.
 */
export type EventRole = 'opens' | 'closes' | 'notice' | 'info';

export interface FindingRef {
  role: EventRole;
  /** Readable identity of the situation across thresholds and severities (never carries a secret). */
  key: string;
  /** Short, URL-safe id of `key`: what `POST /api/findings/{id}/snooze` takes. */
  id: string;
}

/**
 * A finding spans an event's thresholds, so a snooze, a reminder and a recovery all refer to the same
 * thing: a credential by (tenant, object, key id), a token connection by (vault, name), a tenant's scan,
 * a vault's listing.
 * `credential.rotated` carries the key id of the credential it replaced; `credential.removed` and
 * `token.removed` close a finding whose credential, object or connection is gone; `token.connected` (a
 * sign-in stored a new token) closes the connection's.
 */
export function findingOf(event: VigilEvent): FindingRef {
  const [role, key] = roleAndKey(event);
  return { role, key, id: findingIdOf(key) };
}

/** What a finding id looks like (`findingIdOf`): the snooze routes and the snooze-end alarm check it. */
export const findingIdSchema = z.string().regex(/^f-[0-9a-f]{20}$/);

/** The short id of a finding key, as the snooze API takes it. */
export function findingIdOf(key: string): string {
  return `f-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/** The finding key of a credential's expiry, whatever told of it: the scanner, or a refresh its lapse broke. */
export function credentialFindingKey(tenantId: string, objectId: string, keyId: string): string {
  return `credential|${tenantId}|${objectId}|${keyId}`;
}

/** The id notifications give a scanner finding in its current status (stale and hygiene leftovers are findings apart). */
export function findingIdOfCredential(f: { tenantId: string; objectId: string; keyId: string; status: string }): string {
  const kind = f.status === 'stale' || f.status === 'hygiene' ? f.status : 'credential';
  return findingIdOf(
    kind === 'credential' ? credentialFindingKey(f.tenantId, f.objectId, f.keyId) : `${kind}|${f.tenantId}|${f.objectId}|${f.keyId}`,
  );
}

function roleAndKey(event: VigilEvent): [EventRole, string] {
  const t = event.tenantId;
  switch (event.type) {
    case 'credential.expiring':
    case 'credential.expired':
      return ['opens', credentialFindingKey(t, event.subject.id, event.data.keyId)];
    case 'credential.rotated':
      return ['closes', credentialFindingKey(t, event.subject.id, event.data.keyId)];
    case 'credential.removed': {
      // Closes what was open about the credential: its lapse, its stale leftover, or its hygiene.
      const kind = event.data.status === 'stale' || event.data.status === 'hygiene' ? event.data.status : 'credential';
      return ['closes', `${kind}|${t}|${event.subject.id}|${event.data.keyId}`];
    }
    case 'credential.stale':
      return ['opens', `stale|${t}|${event.subject.id}|${event.data.keyId}`];
    case 'credential.hygiene':
      return ['opens', `hygiene|${t}|${event.subject.id}|${event.data.keyId}`];
    case 'token.refresh_failed': {
      // A lapsed client secret is one problem, whether the scan or a refresh found it first (issue 16).
      const linked = event.data.linkedFinding;
      if (linked) return ['opens', credentialFindingKey(linked.tenantId, linked.objectId, linked.keyId)];
      return ['opens', `token|${t}|${event.data.vaultUrl}|${event.data.connection}`];
    }
    case 'token.misconfigured':
      return ['opens', `token|${t}|${event.data.vaultUrl}|${event.data.connection}`];
    case 'token.recovered':
    case 'token.removed':
    case 'token.connected':
      return ['closes', `token|${t}|${event.data.vaultUrl}|${event.data.connection}`];
    case 'token.sign_in_refused':
      // Its own finding: a refusal must not replace (or close) what the connection's alert says.
      return ['notice', `signIn|${t}|${event.data.vaultUrl}|${event.data.connection}`];
    case 'scan.failed':
      return ['opens', `scan|${t}`];
    case 'scan.recovered':
      return ['closes', `scan|${t}`];
    case 'vault.failed':
      return ['opens', `vault|${event.data.vaultUrl}`];
    case 'vault.recovered':
      return ['closes', `vault|${event.data.vaultUrl}`];
    case 'rotation.failed':
    case 'rotation.retire_deferred':
      return ['opens', `rotation|${t}|${event.subject.id}`];
    case 'rotation.completed':
      return ['closes', `rotation|${t}|${event.subject.id}`];
    case 'delivery.failed':
      return ['opens', deliveryFindingKey(event.data.route, event.data.channel)];
    case 'delivery.recovered':
      return ['closes', deliveryFindingKey(event.data.route, event.data.channel)];
    case 'queue.poisoned':
      return ['opens', `queue|${event.data.queue}`];
    case 'scan.baseline':
      // A summary of findings that need a person is a notice; one that counts only info findings is a record.
      return [event.severity === 'info' ? 'info' : 'notice', `${event.type}|${t}|${event.subject.id}`];
    case 'token.refreshed':
    case 'scan.completed':
      return ['info', `${event.type}|${t}|${event.subject.id}`];
  }
}
