/**
 * What an auditor would raise about a credential, though nothing breaks if nobody acts (CISA SCuBA
 * MS.AAD.5.x, Maester's app checks): reported in digests and on the status page as "to tidy up", never
 * as needing action.
 * - `lifetimeOverPolicy`: valid for longer than the tenant's app management policy allows;
 * - `lifetimeOverMaximum`: valid for longer than Vigil's maximum (`VIGIL_SECRET_MAX_LIFETIME_DAYS`);
 * - `tooManySecrets`: one of more than two active client secrets on the app (the oldest are flagged);
 * - `besideFederatedCredential`: a client secret kept on an app that signs in with a federated credential;
 * - `expiredLeftOnApp`: expired, and replaced or unused, yet still on the app.
 */
export const hygieneChecks = [
  'lifetimeOverPolicy',
  'lifetimeOverMaximum',
  'tooManySecrets',
  'besideFederatedCredential',
  'expiredLeftOnApp',
] as const;
export type HygieneCheck = (typeof hygieneChecks)[number];

export interface HygieneItem {
  check: HygieneCheck;
  /** One sentence for a person: why this is raised and what to do. */
  reason: string;
}

/** Checks that depend only on the finding itself, so they are judged again whenever the finding is. */
export const derivedChecks: readonly HygieneCheck[] = ['expiredLeftOnApp'];
