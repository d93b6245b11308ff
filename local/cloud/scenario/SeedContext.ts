import { X509Certificate } from 'node:crypto';
import type { CloudStore } from '../state/CloudStore.js';
import { certificateKeyFields, newKeyCredential, newPasswordCredential, stableGuid } from '../state/credentials.js';
import type { HomedApplication } from '../state/Directory.js';
import type { KeyCredentialRecord, PasswordCredentialRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';
import type { DateSpec, ParsedScenario } from './scenarioSchema.js';

type ScenarioApplication = ParsedScenario['tenants'][number]['applications'][number];

/** Plain values created while seeding, which only the seeder ever sees (the directory keeps hashes). */
export interface SeedResult {
  /** `"{application display name}/{credential display name}"` → secret text. */
  clientSecrets: Record<string, string>;
  /** Scenario refresh-token name → token. */
  refreshTokens: Record<string, string>;
  /** Application display name → app id. */
  appIds: Record<string, string>;
  /** `"{application display name}/{key credential display name}"` → PEM with private key (`withPrivateKey` keys). */
  certificates?: Record<string, string>;
}

/** Certificates made before seeding (it is synchronous; making one is not), by the same key as `SeedResult.certificates`. */
export type PreparedCertificates = ReadonlyMap<string, { certificatePem: string; pem: string }>;

/**
 * What every part of seeding shares: the store, the instant seeding happens (scenario dates are days
 * from it), the plain values it creates, and the scenario's names for applications and users.
 */
export class SeedContext {
  readonly result: SeedResult = { clientSecrets: {}, refreshTokens: {}, appIds: {}, certificates: {} };
  private readonly startedAt: Date;

  constructor(
    readonly store: CloudStore,
    private readonly prepared: PreparedCertificates = new Map(),
  ) {
    this.startedAt = store.now();
  }

  get now(): Date {
    return this.startedAt;
  }

  at(spec: DateSpec): Date {
    return typeof spec === 'string' ? new Date(spec) : new Date(this.startedAt.getTime() + spec.inDays * 86_400_000);
  }

  /** An application by scenario display name (in any tenant) or app id. */
  application(ref: string, tenantId: string): HomedApplication {
    const found = this.store.directory.application(this.result.appIds[ref] ?? ref);
    if (!found) throw new Error(`Scenario refers to unknown application "${ref}" in tenant ${tenantId}`);
    return found;
  }

  user(tenant: TenantDirectory, upn: string) {
    const user = tenant.user(upn);
    if (!user) throw new Error(`Scenario refers to unknown user "${upn}" in tenant ${tenant.id}`);
    return user;
  }

  /** Client secrets of `owner` (an app's display name), keeping each secret's text in the result. */
  passwords(owner: string, credentials: ScenarioApplication['passwordCredentials']): PasswordCredentialRecord[] {
    return credentials.map((c, i) => {
      const displayName = c.displayName ?? `secret-${i + 1}`;
      const { record, secretText } = newPasswordCredential({
        start: this.at(c.start ?? { inDays: -30 }),
        end: this.at(c.end),
        displayName,
        keyId: c.keyId ?? stableGuid(`${owner}/password/${displayName}`),
        ...(c.secretText ? { secretText: c.secretText } : {}),
      });
      this.result.clientSecrets[`${owner}/${displayName}`] = secretText;
      return record;
    });
  }

  keys(owner: string, credentials: ScenarioApplication['keyCredentials']): KeyCredentialRecord[] {
    return credentials.map((c, i) => {
      const displayName = c.displayName ?? `CN=${owner}-${i + 1}`;
      const record = newKeyCredential({
        start: this.at(c.start ?? { inDays: -30 }),
        end: this.at(c.end),
        displayName,
        keyId: c.keyId ?? stableGuid(`${owner}/key/${displayName}`),
        usage: c.usage,
        type: c.type,
      });
      if (!c.withPrivateKey) return record;
      const made = this.prepared.get(`${owner}/${displayName}`);
      if (!made) throw new Error(`Scenario key ${owner}/${displayName} asks for a private key, but no certificate was prepared for it`);
      this.result.certificates![`${owner}/${displayName}`] = made.pem;
      // Dated by the certificate, as the admin route's upload is, not by the seeding instant, which comes later by the
      // time its key took to make.
      return { ...record, ...certificateKeyFields(new X509Certificate(made.certificatePem)) };
    });
  }
}
