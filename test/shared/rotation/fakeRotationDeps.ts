import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../../shared/audit/AuditLog.js';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { noRules, type CredentialRules } from '../../../shared/intelligence/AppPolicy.js';
import type {
  ApplicationCredentials,
  KeyUsageReader,
  RotationDeps,
  RotationStore,
  RotationVault,
  TokenProbe,
} from '../../../shared/rotation/RotationPorts.js';
import { tenantLookup, type TenantConfig } from '../../../shared/settings/tenantsSetting.js';
import { holdsAppLock, isTerminal, type PasswordCredentialInfo, type Rotation } from '../../../shared/rotation/Rotation.js';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const VAULT_URL = 'https://vault.example';
export const APP = {
  objectId: 'a0000000-0000-4000-8000-000000000001',
  appId: 'b0000000-0000-4000-8000-000000000001',
  displayName: 'Creatio CRM',
};
export const OLD_KEY = 'c0000000-0000-4000-8000-000000000001';
export const OLD_SECRET = 'old-secret-value-0123456789';

type Credential = PasswordCredentialInfo & { secret: string };

/** An app registration with secrets, as Graph would hold it. */
export function fakeDirectory(now: string) {
  const credentials: Credential[] = [{ keyId: OLD_KEY, displayName: 'prod', endDateTime: now, secret: OLD_SECRET }];
  let counter = 0;
  const directory: ApplicationCredentials & { credentials: Credential[] } = {
    credentials,
    async find(_tenant, ref) {
      const matches = 'appId' in ref ? ref.appId === APP.appId : ref.objectId === APP.objectId;
      if (!matches) return { kind: 'notFound' };
      return {
        kind: 'found',
        application: { ...APP, createdDateTime: '2025-01-01T00:00:00Z', passwordCredentials: credentials.map(({ secret: _s, ...c }) => c) },
      };
    },
    async addPassword(_tenant, _objectId, request) {
      counter += 1;
      const credential = {
        keyId: `d0000000-0000-4000-8000-00000000000${counter}`,
        displayName: request.displayName,
        endDateTime: request.endDateTime,
        secret: `new-secret-${counter}-${randomUUID()}`,
      };
      credentials.push(credential);
      const { secret, ...info } = credential;
      return { kind: 'added', credential: info, secretText: secret };
    },
    async removePassword(_tenant, _objectId, keyId) {
      const index = credentials.findIndex((c) => c.keyId === keyId);
      if (index < 0) return { kind: 'notFound' };
      credentials.splice(index, 1);
      return { kind: 'removed' };
    },
  };
  return directory;
}

export interface FakeVersion {
  version: string;
  value: string;
  tags: Record<string, string>;
  enabled: boolean;
}

/** One Key Vault secret's versions; `failWrites` makes writes fail like a 503. */
export function fakeVault(initial?: { value: string; tags: Record<string, string> }) {
  const versions: FakeVersion[] = initial ? [{ version: 'v1', ...initial, enabled: true }] : [];
  const vault: RotationVault & { versions: FakeVersion[]; failWrites: boolean } = {
    versions,
    failWrites: false,
    async latest() {
      const last = versions.at(-1);
      return last ? { kind: 'found', secret: { version: last.version, tags: last.tags, enabled: last.enabled } } : { kind: 'notFound' };
    },
    async read(_url, _name, version) {
      const found = versions.find((v) => v.version === version);
      return found ? { kind: 'found', value: found.value, tags: found.tags } : { kind: 'notFound' };
    },
    async write(_url, _name, value, options) {
      if (vault.failWrites) return { kind: 'failed', reason: 'Key Vault write s: HTTP 503', transient: true };
      const version = `v${versions.length + 1}`;
      versions.push({ version, value, tags: options.tags, enabled: true });
      return { kind: 'written', version };
    },
    async disable(_url, _name, version) {
      const found = versions.find((v) => v.version === version);
      if (found) found.enabled = false;
      return { kind: 'disabled' };
    },
  };
  return vault;
}

/** Entra's token endpoint: a secret works once it is the app's; `refuseFirst` simulates replication delay. */
export function fakeProbe(directory: { credentials: Credential[] }, refuseFirst = 0): TokenProbe & { calls: number } {
  const probe = {
    calls: 0,
    async request(_tenant: string, _appId: string, secret: string) {
      probe.calls += 1;
      if (probe.calls <= refuseFirst || !directory.credentials.some((c) => c.secret === secret))
        return { kind: 'rejected' as const, code: 'invalid_client AADSTS7000215' };
      return { kind: 'accepted' as const };
    },
  };
  return probe;
}

/** Rotations with ETags, the app lock and idempotency keys, like the Table adapter. */
export function memoryStore(): RotationStore & { locks: Map<string, string> } {
  const rows = new Map<string, { rotation: Rotation; etag: string }>();
  const locks = new Map<string, string>();
  const keys = new Map<string, { rotationId: string; fingerprint: string }>();
  let etags = 0;
  const lockOf = (r: Rotation) => `${r.tenantId}|${r.application.objectId}`;
  return {
    locks,
    async create(rotation, idempotency) {
      if (idempotency && keys.has(idempotency.key)) return { kind: 'replay', ...keys.get(idempotency.key)! };
      const holder = locks.get(lockOf(rotation));
      if (holder) return { kind: 'conflict', rotationId: holder };
      rows.set(rotation.id, { rotation: structuredClone(rotation), etag: String(++etags) });
      locks.set(lockOf(rotation), rotation.id);
      if (idempotency) keys.set(idempotency.key, { rotationId: rotation.id, fingerprint: idempotency.fingerprint });
      return { kind: 'created' };
    },
    async get(id) {
      const row = rows.get(id);
      return row ? structuredClone(row) : undefined;
    },
    async findByIdempotencyKey(key) {
      return keys.get(key);
    },
    async lockHolder(tenantId, objectId) {
      return locks.get(`${tenantId}|${objectId}`);
    },
    async save(rotation, etag, releaseLock) {
      const row = rows.get(rotation.id);
      if (!row || row.etag !== etag) return { kind: 'stale' };
      const saved = { rotation: structuredClone(rotation), etag: String(++etags) };
      rows.set(rotation.id, saved);
      if (releaseLock && !holdsAppLock(rotation.step)) locks.delete(lockOf(rotation));
      return { kind: 'saved', etag: saved.etag };
    },
    async listOpen() {
      return [...rows.values()].map((r) => r.rotation).filter((r) => !isTerminal(r));
    },
  };
}

/** The usage report and the policy, as a test sets them: unknown usage and no policy unless told. */
export function fakeIntelligence() {
  const intel: { rules: CredentialRules; lastUse: Awaited<ReturnType<KeyUsageReader['lastUse']>>; holders: string[] } = {
    rules: noRules,
    lastUse: { kind: 'unknown', reason: 'no usage report in this test' },
    holders: [],
  };
  const readers: Pick<RotationDeps, 'policies' | 'usage' | 'holders'> = {
    policies: { rulesFor: async () => ({ kind: 'read', rules: intel.rules }) },
    usage: { lastUse: async () => intel.lastUse },
    holders: { holdersOf: async () => intel.holders },
  };
  return { intel, readers };
}

export function fakeDeps(options: { now: string; vault?: ReturnType<typeof fakeVault>; refuseFirst?: number }) {
  const credentials = fakeDirectory(options.now);
  const secrets =
    options.vault ??
    fakeVault({ value: OLD_SECRET, tags: { 'vigil-app-id': APP.appId, 'vigil-key-id': OLD_KEY, 'vigil-downstream': 'Creatio' } });
  const events: VigilEvent[] = [];
  const audit: AuditEntry[] = [];
  const queued: string[] = [];
  const sleeps: number[] = [];
  /** Tenants queued for a rescan. */
  const scans: string[] = [];
  const watched: TenantConfig[] = [
    { tenantId: TENANT.toLowerCase(), displayName: 'Contoso', cloud: 'global', auth: { kind: 'managedIdentity' }, routing: {} },
  ];
  const { intel, readers } = fakeIntelligence();
  const deps: RotationDeps = {
    ...readers,
    credentials,
    secrets,
    probe: fakeProbe(credentials, options.refuseFirst ?? 0),
    store: memoryStore(),
    queue: { enqueue: async (id) => void queued.push(id) },
    events: { publish: async (e) => void events.push(...e) },
    audit: { record: async (e) => void audit.push(e) },
    scans: {
      tenants: watched,
      tenantOf: tenantLookup(watched),
      queue: { enqueue: async (tenantId) => void scans.push(tenantId) },
      audit: { record: async (e) => void audit.push(e) },
    },
    sleep: async (ms) => void sleeps.push(ms),
    portal: 'https://portal.azure.com',
  };
  return { deps, credentials, secrets, events, audit, queued, sleeps, scans, intel };
}
