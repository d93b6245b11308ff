import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Directory } from './Directory.js';
import type {
  ApplicationRecord,
  CapturedRequest,
  CloudStateData,
  ServicePrincipalRecord,
  TenantRecord,
  VaultRecord,
  WebhookEndpointRecord,
} from './model.js';
import { emptyState } from './model.js';
import { newApplicationRecord, newServicePrincipalRecord, newTenantRecord, newUserRecord } from './newDirectoryRecords.js';

/**
 * Owns the local cloud's state and its clock. The directory (tenants, apps, users, tokens) is changed
 * through `directory`, what the sinks and Graph sendMail accept through the `capture…` methods, and the
 * clock through `moveClock`; each change schedules a save of the state (when a file was given). `data`
 * is the plain saved state, for reading.
 */
export class CloudStore {
  readonly data: CloudStateData;
  readonly directory: Directory;
  private saveTimer: NodeJS.Timeout | undefined;

  private constructor(
    data: CloudStateData,
    private readonly file: string | undefined,
  ) {
    this.data = data;
    this.directory = new Directory(data.tenants, { now: () => this.now(), changed: () => this.changed() });
  }

  /** A store that starts empty, or from `file` when it exists, and saves back to it. */
  static open(file?: string): CloudStore {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<CloudStateData>;
      return new CloudStore(upgrade({ ...emptyState(), ...saved }), file);
    }
    return new CloudStore(emptyState(), file);
  }

  /** The emulated clock: the machine's time moved by the admin API's offset. */
  now(): Date {
    return new Date(Date.now() + this.data.clockOffsetMs);
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  /** Moves the emulated clock forward by `ms` (or back to the machine's time with `reset`). */
  moveClock(change: { ms: number } | { reset: true }): void {
    this.data.clockOffsetMs = 'reset' in change ? 0 : this.data.clockOffsetMs + change.ms;
    this.changed();
  }

  changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, 100);
    this.saveTimer.unref();
  }

  async save(): Promise<void> {
    if (!this.file) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(this.data));
  }

  /** A tenant's record by id or default domain. */
  tenant(ref: string): TenantRecord | undefined {
    return this.directory.tenant(ref)?.record;
  }

  /** The app registration behind a client id, wherever it is homed (multi-tenant apps live in one tenant). */
  application(appId: string): { tenant: TenantRecord; app: ApplicationRecord } | undefined {
    const found = this.directory.application(appId);
    return found && { tenant: found.tenant.record, app: found.app };
  }

  servicePrincipal(tenant: TenantRecord, appId: string): ServicePrincipalRecord | undefined {
    return this.directory.tenant(tenant.id)?.servicePrincipalOf(appId);
  }

  /**
   * Marks an object as changed after a caller changed its record directly (tests do, to stage a
   * deletion or a removed secret); everything else changes the directory through `directory`.
   */
  touch(tenant: TenantRecord, object: ApplicationRecord | ServicePrincipalRecord): void {
    const indexed = this.directory.tenant(tenant.id);
    if (!indexed) throw new Error(`tenant ${tenant.id} is not in the local cloud's directory`);
    this.directory.touch(indexed, object);
  }

  vault(name: string): VaultRecord | undefined {
    return this.data.vaults.find((v) => v.name === name);
  }

  addVault(vault: VaultRecord): void {
    this.data.vaults.push(vault);
    this.changed();
  }

  addWebhookEndpoint(endpoint: WebhookEndpointRecord): void {
    this.data.webhookEndpoints.push(endpoint);
    this.changed();
  }

  webhookEndpoint(name: string): WebhookEndpointRecord | undefined {
    return this.data.webhookEndpoints.find((e) => e.name === name);
  }

  captureMail(message: CapturedRequest & { sender: string }): void {
    this.data.mail.push(message);
    this.changed();
  }

  captureTeams(message: CapturedRequest): void {
    this.data.teams.push(message);
    this.changed();
  }

  captureSlack(message: CapturedRequest): void {
    this.data.slack.push(message);
    this.changed();
  }

  capturePagerDuty(event: CloudStateData['pagerduty'][number]): void {
    this.data.pagerduty.push(event);
    this.changed();
  }

  captureWebhook(delivery: CapturedRequest & { endpoint: string; verified: boolean }): void {
    this.data.webhooks.push(delivery);
    this.changed();
  }
}

/**
 * States saved by earlier versions of the local cloud lack fields added since: every record is rebuilt
 * through its constructor, so each missing field gets the default new records get, and saved fields stay.
 */
function upgrade(data: CloudStateData): CloudStateData {
  data.tenants = data.tenants.map((tenant) => ({
    ...newTenantRecord(tenant),
    users: tenant.users.map(newUserRecord),
    applications: tenant.applications.map(newApplicationRecord),
    servicePrincipals: tenant.servicePrincipals.map(newServicePrincipalRecord),
  }));
  return data;
}
