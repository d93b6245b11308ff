import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationRecord, CloudStateData, ServicePrincipalRecord, TenantRecord, VaultRecord } from './model.js';
import { emptyState } from './model.js';

/**
 * Owns the local cloud's state and its clock. Every emulator reads and changes state through this
 * object; after a change it calls `changed()` so the state is saved (when a file was given).
 */
export class CloudStore {
  readonly data: CloudStateData;
  private saveTimer: NodeJS.Timeout | undefined;

  private constructor(
    data: CloudStateData,
    private readonly file: string | undefined,
  ) {
    this.data = data;
  }

  /** A store that starts empty, or from `file` when it exists, and saves back to it. */
  static open(file?: string): CloudStore {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<CloudStateData>;
      return new CloudStore({ ...emptyState(), ...saved }, file);
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

  tenant(tenantId: string): TenantRecord | undefined {
    const wanted = tenantId.toLowerCase();
    return this.data.tenants.find((t) => t.id === wanted || t.defaultDomain.toLowerCase() === wanted);
  }

  /** The app registration behind a client id, wherever it is homed (multi-tenant apps live in one tenant). */
  application(appId: string): { tenant: TenantRecord; app: ApplicationRecord } | undefined {
    for (const tenant of this.data.tenants) {
      const app = tenant.applications.find((a) => a.appId === appId && !a.deleted);
      if (app) return { tenant, app };
    }
    return undefined;
  }

  servicePrincipal(tenant: TenantRecord, appId: string): ServicePrincipalRecord | undefined {
    return tenant.servicePrincipals.find((sp) => sp.appId === appId);
  }

  vault(name: string): VaultRecord | undefined {
    return this.data.vaults.find((v) => v.name === name);
  }

  /** Marks a directory object as changed for delta queries. */
  touch(tenant: TenantRecord, object: { changeSeq: number }): void {
    tenant.changeSeq += 1;
    object.changeSeq = tenant.changeSeq;
    this.changed();
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newGuid(): string {
  return randomUUID();
}
