import { createSecretVersion } from '../keyvault/secretVersions.js';
import type { SecretRecord, VaultRecord } from '../state/model.js';
import type { ParsedScenario } from './scenarioSchema.js';
import type { SeedContext } from './SeedContext.js';

type ScenarioVault = ParsedScenario['vaults'][number];

/** Vaults with their secrets, whose values may be literals or what seeding created (a refresh token, a client secret). */
export function seedVaults(seed: SeedContext, vaults: ScenarioVault[]): void {
  for (const v of vaults) seed.store.addVault(toVault(seed, v));
}

function toVault(seed: SeedContext, v: ScenarioVault): VaultRecord {
  const { result } = seed;
  const secrets: Record<string, SecretRecord> = {};
  for (const s of v.secrets) {
    const value =
      'literal' in s.value
        ? s.value.literal
        : 'refreshToken' in s.value
          ? result.refreshTokens[s.value.refreshToken]
          : 'certificate' in s.value
            ? result.certificates?.[`${s.value.certificate.application}/${s.value.certificate.credential}`]
            : result.clientSecrets[`${s.value.clientSecret.application}/${s.value.clientSecret.credential}`];
    if (value === undefined) throw new Error(`Scenario vault secret "${s.name}" refers to a value the scenario does not create`);
    const version = createSecretVersion(seed.store.nowSeconds(), {
      value,
      tags: s.tags,
      contentType: s.contentType ?? null,
      ...(s.expires ? { exp: Math.floor(seed.at(s.expires).getTime() / 1000) } : {}),
    });
    secrets[s.name] = { name: s.name, versions: [version] };
  }
  return { name: v.name, tenantId: v.tenant, allowedAppIds: v.allowedApps.map((ref) => result.appIds[ref] ?? ref), secrets };
}
