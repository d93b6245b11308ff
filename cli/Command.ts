/** How the CLI signs in: `auto` tries the environment's app credentials, then the Azure CLI's sign-in. */
export const authKinds = ['auto', 'env', 'cli', 'device-code'] as const;
export type AuthKind = (typeof authKinds)[number];

/** Where and how to call Vigil, from the flags and the environment; the same for every command. */
export interface CallOptions {
  /** Vigil's API base, ending in `/api`. */
  apiUrl: string;
  scope: string;
  auth: AuthKind;
  functionKey: string | undefined;
  authorityHost: string | undefined;
  json: boolean;
  /** Seconds between polls of `--follow`. */
  intervalSeconds: number;
}

/** The body of `POST /api/rotations` as the CLI builds it (the API checks it again). */
export interface RotationBody {
  tenantId: string;
  appId: string;
  keyId?: string;
  vaultSecretName: string;
  vaultUrl?: string;
  lifetimeDays?: number;
  retireOldAfterHours?: number | 'never';
  dryRun: boolean;
}

/** What to rotate: an app (and the client secret to replace), or the client secret a finding is about. */
export type RotationTarget = { kind: 'app'; appId: string; keyId?: string } | { kind: 'finding'; findingId: string };

/** The rest of a rotation request as the flags give it; for a finding, tenant and Key Vault secret default to its own. */
export type RotationChoices = Partial<
  Pick<RotationBody, 'tenantId' | 'vaultSecretName' | 'vaultUrl' | 'lifetimeDays' | 'retireOldAfterHours'>
> & {
  dryRun: boolean;
};

/** `POST /api/findings/{id}/snooze`: a whole number of days, or an end time in RFC 3339. */
export type SnoozeBody = ({ days: number } | { until: string }) & { reason: string; by?: string };

/** One thing the person asked for, checked for shape; what Vigil accepts is still Vigil's to say. */
export type Command =
  | { kind: 'findings'; tenant?: string; severities: string[]; statuses: string[]; maxDaysLeft?: number }
  | { kind: 'connections' }
  | { kind: 'scan'; tenant?: string }
  | { kind: 'refresh'; connection: string; vault?: string }
  | { kind: 'rotate'; target: RotationTarget; choices: RotationChoices; follow: boolean; idempotencyKey?: string }
  | { kind: 'rotation'; id: string; follow: boolean }
  | { kind: 'snooze'; findingId: string; body: SnoozeBody }
  | { kind: 'unsnooze'; findingId: string }
  | { kind: 'status' };

export type CommandName = Command['kind'];
