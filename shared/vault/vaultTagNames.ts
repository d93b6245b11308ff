/**
 * Every Key Vault tag Vigil reads or writes, in one place (docs/tokens.md "Tag schema", docs/rotation.md).
 * Key Vault allows 15 tags per secret, names up to 512 and values up to 256 characters.
 */
export const vaultTagNames = {
  /** What a secret is to Vigil: `delegated-refresh-token` makes it a token connection. */
  kind: 'vigil-kind',
  // A token connection's tags, set by a person (or by a sign-in through a link).
  tenant: 'vigil-tenant',
  clientId: 'vigil-client-id',
  clientSecretName: 'vigil-client-secret-name',
  /** Instead of a client secret: the secret holding the app's certificate, a PEM with its private key. */
  clientCertificateName: 'vigil-client-certificate-name',
  scopes: 'vigil-scopes',
  cloud: 'vigil-cloud',
  owner: 'vigil-owner',
  team: 'vigil-team',
  downstream: 'vigil-downstream',
  // Written back by the token keeper after each successful refresh.
  lastRefresh: 'vigil-last-refresh',
  grantedScopes: 'vigil-granted-scopes',
  expectedLapse: 'vigil-expected-lapse',
  // A copy of an Entra credential (a client secret a downstream app reads), written by rotation, read by the scanner.
  appId: 'vigil-app-id',
  keyId: 'vigil-key-id',
  /** The app's tenant, when it is not Vigil's own. */
  tenantId: 'vigil-tenant-id',
  expires: 'vigil-expires',
  rotationId: 'vigil-rotation-id',
  /** Opt-in to policy-driven rotation: rotate when fewer than this many days remain. */
  rotateWithinDays: 'vigil-rotate-within-days',
} as const;

/** The `vigil-kind` value that makes a secret a token connection (other kinds are Vigil's too, but not tokens). */
export const CONNECTION_KIND = 'delegated-refresh-token';
