import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { secretNamePattern } from '../keyvault/vaultSecrets.js';

/** An absolute ISO instant, or days from the moment of seeding (negative for the past). */
export const dateSpecSchema = z.union([z.string().datetime({ offset: true }), z.object({ inDays: z.number() })]);
export type DateSpec = z.infer<typeof dateSpecSchema>;

/** The credential's last sign-in, as Entra's usage report would show it (to the resource named, Microsoft Graph by default). */
const lastSignInSchema = { lastSignIn: dateSpecSchema.optional(), lastSignInResource: z.string().optional() };

const passwordCredentialSchema = z.object({
  keyId: z.string().uuid().optional(),
  displayName: z.string().optional(),
  /** The secret's text; generated when absent. Kept only in the seed result, hashed in the directory. */
  secretText: z.string().min(16).optional(),
  start: dateSpecSchema.optional(),
  end: dateSpecSchema,
  ...lastSignInSchema,
});

const keyCredentialSchema = z.object({
  keyId: z.string().uuid().optional(),
  displayName: z.string().optional(),
  start: dateSpecSchema.optional(),
  end: dateSpecSchema,
  usage: z.enum(['Verify', 'Sign']).default('Verify'),
  type: z.enum(['AsymmetricX509Cert', 'Symmetric', 'X509CertAndPassword']).default('AsymmetricX509Cert'),
  /**
   * Makes a real self-signed certificate for this key (an app signing in with it, `private_key_jwt`); its PEM
   * with the private key can be stored in a vault: `{ "certificate": { "application", "credential" } }`.
   */
  withPrivateKey: z.boolean().default(false),
  ...lastSignInSchema,
});

/** A restriction of an app management policy, as Graph spells it (`passwordAddition`, `passwordLifetime` with `maxLifetime` "P90D", …). */
const restrictionSchema = z.object({
  restrictionType: z.string(),
  maxLifetime: z.string().optional(),
  /** Apps registered before this are spared (absent: every app). */
  restrictForAppsCreatedAfter: dateSpecSchema.optional(),
  state: z.enum(['enabled', 'disabled']).default('enabled'),
});
const restrictionsSchema = z.object({
  passwordCredentials: z.array(restrictionSchema).default([]),
  keyCredentials: z.array(restrictionSchema).default([]),
});

const applicationSchema = z.object({
  id: z.string().uuid().optional(),
  appId: z.string().uuid().optional(),
  displayName: z.string().min(1),
  identifierUris: z.array(z.string()).default([]),
  appRoles: z.array(z.string()).default([]),
  passwordCredentials: z.array(passwordCredentialSchema).default([]),
  keyCredentials: z.array(keyCredentialSchema).default([]),
  federatedIdentityCredentials: z
    .array(
      z.object({
        name: z.string(),
        issuer: z.string().url(),
        subject: z.string(),
        audiences: z.array(z.string()).default(['api://AzureADTokenExchange']),
        description: z.string().optional(),
      }),
    )
    .default([]),
  /** Days since the app was registered (app management policies may spare older apps). */
  createdDaysAgo: z.number().min(0).default(400),
  /** User principal names or application display names of owners. */
  owners: z.array(z.string()).default([]),
  /** Also create the app's service principal in its home tenant (default true). */
  servicePrincipal: z.boolean().default(true),
  /** App roles the service principal holds, by resource audience, e.g. {"https://graph.microsoft.com": ["Application.Read.All"]}. */
  roles: z.record(z.string(), z.array(z.string())).default({}),
  /** Web redirect URIs (Graph `web.redirectUris`) the local authorize endpoint accepts. */
  redirectUris: z.array(z.string()).default([]),
});

const servicePrincipalSchema = z.object({
  id: z.string().uuid().optional(),
  /** Display name of an application anywhere in the scenario (multi-tenant apps), or an app id. */
  application: z.string(),
  displayName: z.string().optional(),
  preferredSingleSignOnMode: z.enum(['saml', 'password', 'oidc']).optional(),
  samlSigningCertificateEnd: dateSpecSchema.optional(),
  passwordCredentials: z.array(passwordCredentialSchema).default([]),
  keyCredentials: z.array(keyCredentialSchema).default([]),
  roles: z.record(z.string(), z.array(z.string())).default({}),
});

const userSchema = z.object({
  id: z.string().uuid().optional(),
  userPrincipalName: z.string().includes('@'),
  displayName: z.string().optional(),
  /** The user's mailbox address; the UPN when absent, `null` for a user without a mailbox (no Exchange licence). */
  mail: z.string().nullable().optional(),
  /** Password for the local sign-in page; a user without one cannot sign in interactively. */
  password: z.string().min(1).optional(),
});

const refreshTokenSchema = z.object({
  /** How the seed result names this token, e.g. to place it in a vault secret. */
  name: z.string(),
  client: z.string(),
  user: z.string(),
  scopes: z.array(z.string()),
  issuedDaysAgo: z.number().min(0).default(0),
});

const tenantSchema = z.object({
  id: z.string().uuid(),
  displayName: z.string(),
  cloud: z.enum(['global', 'usgov', 'usgovdod', 'china']).default('global'),
  defaultDomain: z.string(),
  users: z.array(userSchema).default([]),
  applications: z.array(applicationSchema).default([]),
  servicePrincipals: z.array(servicePrincipalSchema).default([]),
  grants: z.array(z.object({ client: z.string(), user: z.string(), scopes: z.array(z.string()) })).default([]),
  refreshTokens: z.array(refreshTokenSchema).default([]),
  /** Users whose sessions an admin revoked after their tokens were issued (AADSTS50173 on the next refresh). */
  revokedSessions: z.array(z.string()).default([]),
  /**
   * Microsoft's own service principals (Microsoft Graph, Exchange Online, …), several hundred of which
   * every real tenant lists: registered in Microsoft's tenant, with no credential the tenant manages.
   */
  microsoftServicePrincipals: z.number().int().min(0).max(5000).default(0),
  /** Microsoft Entra ID P1 or P2, which the usage report needs. */
  premiumLicense: z.boolean().default(true),
  /** The tenant's default app management policy, enabled (absent: off, as Entra ships it). */
  defaultAppManagementPolicy: restrictionsSchema.optional(),
  /** Policies assigned to applications (by display name), which then ignore the default. */
  appManagementPolicies: z
    .array(restrictionsSchema.extend({ displayName: z.string(), appliesTo: z.array(z.string()).default([]) }))
    .default([]),
});

const secretValueSchema = z.union([
  z.object({ literal: z.string() }),
  z.object({ refreshToken: z.string() }),
  z.object({ clientSecret: z.object({ application: z.string(), credential: z.string() }) }),
  /** A certificate made for a key credential with `withPrivateKey`: its PEM, private key first. */
  z.object({ certificate: z.object({ application: z.string(), credential: z.string() }) }),
]);

const vaultSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9-]{3,24}$/),
  tenant: z.string().uuid(),
  /** Display names or app ids of applications allowed to use the vault. */
  allowedApps: z.array(z.string()).default([]),
  secrets: z
    .array(
      z.object({
        name: z.string().regex(secretNamePattern),
        value: secretValueSchema,
        contentType: z.string().optional(),
        tags: z.record(z.string(), z.string()).default({}),
        expires: dateSpecSchema.optional(),
      }),
    )
    .default([]),
});

/** A secret the Standard Webhooks library takes: `whsec_` and a non-empty base64 key ("whsec_" alone it refuses). */
const webhookSecretSchema = z
  .string()
  .startsWith('whsec_')
  .refine(isWebhookSecret, { message: 'not a Standard Webhooks secret: whsec_ followed by a non-empty base64 key' });

function isWebhookSecret(secret: string): boolean {
  try {
    new Webhook(secret);
    return true;
  } catch {
    return false;
  }
}

export const scenarioSchema = z.object({
  tenants: z.array(tenantSchema),
  vaults: z.array(vaultSchema).default([]),
  webhookEndpoints: z
    .array(z.object({ name: z.string(), secret: webhookSecretSchema, behaviour: z.enum(['accept', 'gone']).default('accept') }))
    .default([]),
});

export type Scenario = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
