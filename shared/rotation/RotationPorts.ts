import type { AuditLog } from '../audit/AuditLog.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { ScanRequestDeps } from '../scanner/requestScans.js';
import type { CredentialRules } from '../intelligence/AppPolicy.js';
import type { PasswordCredentialInfo, Rotation } from './Rotation.js';
import type { Sleep } from '../helpers/sleep.js';

/** An outside call that did not work: a secret-free reason, and whether trying later may help. */
export interface CallFailure {
  kind: 'failed';
  reason: string;
  transient: boolean;
}

export interface ApplicationInfo {
  objectId: string;
  appId: string;
  displayName: string;
  /** When the app was registered: policies may spare apps older than their date. Null when unknown. */
  createdDateTime: string | null;
  passwordCredentials: PasswordCredentialInfo[];
}

export type ApplicationRef = { appId: string } | { objectId: string };

/** The app registration's client secrets (Graph addPassword/removePassword). */
export interface ApplicationCredentials {
  find(
    tenantId: string,
    ref: ApplicationRef,
  ): Promise<{ kind: 'found'; application: ApplicationInfo } | { kind: 'notFound' } | CallFailure>;
  /**
   * The only place a secret value enters Vigil; the caller keeps it in memory until Key Vault has it.
   * `mayHaveAdded`: Graph may have added the secret, but its text did not arrive: no answer came (the connection
   * failed, or the deadline passed), Graph or a gateway answered a 5xx, or a 2xx came without the text. The
   * request is sent once (neither the Graph client's RetryHandler nor NodeHttpMessageHandler sends it again).
   */
  addPassword(
    tenantId: string,
    objectId: string,
    request: { displayName: string; endDateTime: string },
  ): Promise<
    { kind: 'added'; credential: PasswordCredentialInfo; secretText: string } | { kind: 'mayHaveAdded'; reason: string } | CallFailure
  >;
  removePassword(tenantId: string, objectId: string, keyId: string): Promise<{ kind: 'removed' } | { kind: 'notFound' } | CallFailure>;
}

/** The app management policy that governs an application's new secrets (tenant default, or the one assigned). */
export interface AppPolicyReader {
  rulesFor(
    tenantId: string,
    app: Pick<ApplicationInfo, 'objectId' | 'createdDateTime'>,
  ): Promise<{ kind: 'read'; rules: CredentialRules } | { kind: 'unknown'; reason: string }>;
}

/** The last sign-in with one key, from Entra's usage report; `resource` by name when it can be told. */
export interface KeyUsageReader {
  lastUse(
    tenantId: string,
    keyId: string,
  ): Promise<{ kind: 'read'; lastSignIn: string | null; resource: string | null } | { kind: 'unknown'; reason: string }>;
}

/** What in the watched vaults still holds a key: its copies, and the token connections that sign in with them. */
export interface KeyHolders {
  holdersOf(tenantId: string, appId: string, keyId: string): Promise<string[]>;
}

/** The current version of the secret a rotation writes, without its value. */
export interface CurrentSecretVersion {
  version: string;
  tags: Record<string, string>;
  enabled: boolean;
}

/** Key Vault as the rotation needs it: the new secret lives as a new version of a named secret. */
export interface RotationVault {
  latest(vaultUrl: string, name: string): Promise<{ kind: 'found'; secret: CurrentSecretVersion } | { kind: 'notFound' } | CallFailure>;
  read(
    vaultUrl: string,
    name: string,
    version: string,
  ): Promise<{ kind: 'found'; value: string; tags: Record<string, string> } | { kind: 'notFound' } | CallFailure>;
  write(
    vaultUrl: string,
    name: string,
    value: string,
    options: { tags: Record<string, string>; expiresOn?: Date },
  ): Promise<{ kind: 'written'; version: string } | CallFailure>;
  disable(vaultUrl: string, name: string, version: string): Promise<{ kind: 'disabled' } | CallFailure>;
}

/**
 * One client_credentials token request with a candidate secret. `unreachable`: no answer, or one that may pass
 * (a 5xx). A `CallFailure`: a request Vigil could not make (vigilFault), which no waiting mends.
 */
export type SecretProbeResult =
  { kind: 'accepted' } | { kind: 'rejected'; code: string } | { kind: 'unreachable'; reason: string } | CallFailure;
export interface TokenProbe {
  request(tenantId: string, appId: string, secret: string): Promise<SecretProbeResult>;
}

export interface StoredRotation {
  rotation: Rotation;
  etag: string;
}

export type CreateResult =
  { kind: 'created' } | { kind: 'conflict'; rotationId: string } | { kind: 'replay'; rotationId: string; fingerprint: string };

/**
 * Rotation records, the one-rotation-per-app lock and idempotency keys. Writes are conditional (ETags),
 * so two runs never both act on one step.
 */
export interface RotationStore {
  create(rotation: Rotation, idempotency?: { key: string; fingerprint: string }): Promise<CreateResult>;
  get(id: string): Promise<StoredRotation | undefined>;
  findByIdempotencyKey(key: string): Promise<{ rotationId: string; fingerprint: string } | undefined>;
  /** The rotation that holds the app's lock, if any. */
  lockHolder(tenantId: string, objectId: string): Promise<string | undefined>;
  /** Saves if nobody saved since `etag`; releases the app lock when the rotation leaves the locking steps. */
  save(rotation: Rotation, etag: string, releaseLock: boolean): Promise<{ kind: 'saved'; etag: string } | { kind: 'stale' }>;
  listOpen(): Promise<Rotation[]>;
}

export interface RotationQueue {
  enqueue(rotationId: string): Promise<void>;
}

/** Everything the rotation use cases need, as plain arguments. */
export interface RotationDeps {
  credentials: ApplicationCredentials;
  secrets: RotationVault;
  probe: TokenProbe;
  store: RotationStore;
  queue: RotationQueue;
  policies: AppPolicyReader;
  usage: KeyUsageReader;
  holders: KeyHolders;
  events: EventPublisher;
  audit: AuditLog;
  /** The scan queue and watched tenants: a rotation that changed an app's secrets rescans its tenant. */
  scans: ScanRequestDeps;
  sleep: Sleep;
  /** Portal base for links in events (`https://portal.azure.com`). */
  portal: string;
}
