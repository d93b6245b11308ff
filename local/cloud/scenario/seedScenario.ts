import { randomBytes } from 'node:crypto';
import type { CloudStore } from '../state/CloudStore.js';
import { sha256 } from '../state/CloudStore.js';
import { newKeyCredential, newPasswordCredential, stableGuid } from '../state/credentials.js';
import type { ApplicationRecord, PasswordCredentialRecord, KeyCredentialRecord, TenantRecord } from '../state/model.js';
import { scenarioSchema, type DateSpec, type ParsedScenario, type Scenario } from './scenarioSchema.js';
import { createSecretVersion } from '../keyvault/secretVersions.js';

/** Plain values created while seeding, which only the seeder ever sees (the directory keeps hashes). */
export interface SeedResult {
  /** `"{application display name}/{credential display name}"` → secret text. */
  clientSecrets: Record<string, string>;
  /** Scenario refresh-token name → token. */
  refreshTokens: Record<string, string>;
  /** Application display name → app id. */
  appIds: Record<string, string>;
}

export function seedScenario(store: CloudStore, input: Scenario): SeedResult {
  const scenario = scenarioSchema.parse(input);
  const now = store.now();
  const at = (spec: DateSpec): Date => (typeof spec === 'string' ? new Date(spec) : new Date(now.getTime() + spec.inDays * 86_400_000));
  const result: SeedResult = { clientSecrets: {}, refreshTokens: {}, appIds: {} };

  const passwords = (
    owner: string,
    creds: ParsedScenario['tenants'][number]['applications'][number]['passwordCredentials'],
  ): PasswordCredentialRecord[] =>
    creds.map((c, i) => {
      const displayName = c.displayName ?? `secret-${i + 1}`;
      const { record, secretText } = newPasswordCredential({
        start: at(c.start ?? { inDays: -30 }),
        end: at(c.end),
        displayName,
        keyId: c.keyId ?? stableGuid(`${owner}/password/${displayName}`),
        ...(c.secretText ? { secretText: c.secretText } : {}),
      });
      result.clientSecrets[`${owner}/${displayName}`] = secretText;
      return record;
    });
  const keys = (owner: string, creds: ParsedScenario['tenants'][number]['applications'][number]['keyCredentials']): KeyCredentialRecord[] =>
    creds.map((c, i) => {
      const displayName = c.displayName ?? `CN=${owner}-${i + 1}`;
      return newKeyCredential({
        start: at(c.start ?? { inDays: -30 }),
        end: at(c.end),
        displayName,
        keyId: c.keyId ?? stableGuid(`${owner}/key/${displayName}`),
        usage: c.usage,
        type: c.type,
      });
    });

  // Applications first, in every tenant, so service principals and grants can refer to any of them.
  for (const t of scenario.tenants) {
    const tenant: TenantRecord = {
      id: t.id,
      displayName: t.displayName,
      cloud: t.cloud,
      defaultDomain: t.defaultDomain,
      users: [],
      applications: [],
      servicePrincipals: [],
      grants: [],
      refreshTokens: [],
      changeSeq: 0,
    };
    store.data.tenants.push(tenant);
    for (const u of t.users) {
      tenant.users.push({
        id: u.id ?? stableGuid(`user/${u.userPrincipalName}`),
        userPrincipalName: u.userPrincipalName,
        displayName: u.displayName ?? u.userPrincipalName,
        mail: u.mail ?? u.userPrincipalName,
        accountEnabled: true,
        refreshTokensValidFromDateTime: new Date(0).toISOString(),
        requiresMfa: false,
        ...(u.password ? { passwordHash: sha256(u.password) } : {}),
      });
    }
    for (const a of t.applications) {
      const app: ApplicationRecord = {
        id: a.id ?? stableGuid(`${t.id}/app/${a.displayName}`),
        appId: a.appId ?? stableGuid(`${t.id}/appId/${a.displayName}`),
        displayName: a.displayName,
        createdDateTime: at({ inDays: -400 }).toISOString(),
        identifierUris: a.identifierUris,
        appRoles: a.appRoles.map((value) => ({ id: stableGuid(`${a.displayName}/role/${value}`), value, displayName: value })),
        passwordCredentials: passwords(a.displayName, a.passwordCredentials),
        keyCredentials: keys(a.displayName, a.keyCredentials),
        ownerIds: [],
        disabled: false,
        changeSeq: 0,
        deleted: false,
        webRedirectUris: a.redirectUris,
      };
      tenant.applications.push(app);
      store.touch(tenant, app);
      result.appIds[a.displayName] = app.appId;
    }
  }

  for (const t of scenario.tenants) {
    const tenant = store.tenant(t.id)!;
    const findApp = (ref: string) => {
      const appId = result.appIds[ref] ?? ref;
      const found = store.application(appId);
      if (!found) throw new Error(`Scenario refers to unknown application "${ref}" in tenant ${t.id}`);
      return found.app;
    };
    const findUser = (upn: string) => {
      const user = tenant.users.find((u) => u.userPrincipalName === upn);
      if (!user) throw new Error(`Scenario refers to unknown user "${upn}" in tenant ${t.id}`);
      return user;
    };
    const toGrants = (roles: Record<string, string[]>) => Object.entries(roles).map(([resource, r]) => ({ resource, roles: r }));

    for (const a of t.applications) {
      const app = tenant.applications.find((x) => x.displayName === a.displayName)!;
      app.ownerIds = a.owners.map((o) => (o.includes('@') ? findUser(o).id : findApp(o).id));
      if (a.servicePrincipal) {
        const sp = {
          id: stableGuid(`${t.id}/sp/${a.displayName}`),
          appId: app.appId,
          displayName: a.displayName,
          appOwnerOrganizationId: t.id,
          servicePrincipalType: 'Application' as const,
          accountEnabled: true,
          preferredSingleSignOnMode: null,
          preferredTokenSigningKeyEndDateTime: null,
          passwordCredentials: [],
          keyCredentials: [],
          appRoleGrants: toGrants(a.roles),
          ownerIds: [],
          changeSeq: 0,
        };
        tenant.servicePrincipals.push(sp);
        store.touch(tenant, sp);
      }
    }
    for (const s of t.servicePrincipals) {
      const app = findApp(s.application);
      const home = store.application(app.appId)!.tenant;
      const name = s.displayName ?? app.displayName;
      const samlKeys = s.samlSigningCertificateEnd
        ? [
            newKeyCredential({
              start: at({ inDays: -300 }),
              end: at(s.samlSigningCertificateEnd),
              displayName: `CN=Microsoft Azure Federated SSO Certificate`,
              usage: 'Sign',
              type: 'AsymmetricX509Cert',
              keyId: stableGuid(`${t.id}/saml/${name}`),
            }),
          ]
        : [];
      const sp = {
        id: s.id ?? stableGuid(`${t.id}/sp/${name}`),
        appId: app.appId,
        displayName: name,
        appOwnerOrganizationId: home.id,
        servicePrincipalType: 'Application' as const,
        accountEnabled: true,
        preferredSingleSignOnMode: s.preferredSingleSignOnMode ?? null,
        preferredTokenSigningKeyEndDateTime: s.samlSigningCertificateEnd ? at(s.samlSigningCertificateEnd).toISOString() : null,
        passwordCredentials: passwords(`${name}@sp`, s.passwordCredentials),
        keyCredentials: [...samlKeys, ...keys(`${name}@sp`, s.keyCredentials)],
        appRoleGrants: toGrants(s.roles),
        ownerIds: [],
        changeSeq: 0,
      };
      tenant.servicePrincipals = tenant.servicePrincipals.filter((x) => x.appId !== app.appId);
      tenant.servicePrincipals.push(sp);
      store.touch(tenant, sp);
    }
    for (const g of t.grants) tenant.grants.push({ clientAppId: findApp(g.client).appId, userId: findUser(g.user).id, scopes: g.scopes });
    for (const r of t.refreshTokens) {
      const token = `0.Vigil${randomBytes(48).toString('base64url')}`;
      tenant.refreshTokens.push({
        hash: sha256(token),
        clientAppId: findApp(r.client).appId,
        userId: findUser(r.user).id,
        scopes: r.scopes,
        issuedAt: at({ inDays: -r.issuedDaysAgo }).toISOString(),
      });
      result.refreshTokens[r.name] = token;
    }
    for (const upn of t.revokedSessions) findUser(upn).refreshTokensValidFromDateTime = now.toISOString();
  }

  for (const v of scenario.vaults) {
    const allowedAppIds = v.allowedApps.map((ref) => result.appIds[ref] ?? ref);
    const vault = {
      name: v.name,
      tenantId: v.tenant,
      allowedAppIds,
      secrets: {} as Record<string, { name: string; versions: ReturnType<typeof createSecretVersion>[] }>,
    };
    for (const s of v.secrets) {
      const value =
        'literal' in s.value
          ? s.value.literal
          : 'refreshToken' in s.value
            ? result.refreshTokens[s.value.refreshToken]
            : result.clientSecrets[`${s.value.clientSecret.application}/${s.value.clientSecret.credential}`];
      if (value === undefined) throw new Error(`Scenario vault secret "${s.name}" refers to a value the scenario does not create`);
      const version = createSecretVersion(store.nowSeconds(), {
        value,
        tags: s.tags,
        contentType: s.contentType ?? null,
        ...(s.expires ? { exp: Math.floor(at(s.expires).getTime() / 1000) } : {}),
      });
      vault.secrets[s.name] = { name: s.name, versions: [version] };
    }
    store.data.vaults.push(vault);
  }
  for (const w of scenario.webhookEndpoints) store.data.webhookEndpoints.push(w);
  store.changed();
  return result;
}
