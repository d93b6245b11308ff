import { z } from 'zod';
import { cloudNames } from '../cloud/cloudEndpoints.js';
import { CONNECTION_KIND, vaultTagNames } from '../vault/vaultTagNames.js';
import type { Connection, ConnectionRef } from './Connection.js';
import { secretNamePattern } from '../vault/secretNameSchema.js';

export { CONNECTION_KIND };

/** Tags a person sets on the secret (docs/tokens.md "Tag schema"). */
export const connectionTagNames = {
  kind: vaultTagNames.kind,
  tenant: vaultTagNames.tenant,
  clientId: vaultTagNames.clientId,
  clientSecretName: vaultTagNames.clientSecretName,
  clientCertificateName: vaultTagNames.clientCertificateName,
  scopes: vaultTagNames.scopes,
  cloud: vaultTagNames.cloud,
  owner: vaultTagNames.owner,
  team: vaultTagNames.team,
  downstream: vaultTagNames.downstream,
} as const;

/** The tags a person sets, as a set: each listed secret's tags are checked against it. */
const connectionTagNameSet: ReadonlySet<string> = new Set(Object.values(connectionTagNames));

/** Tags Vigil writes after each successful refresh. */
export const writtenBackTagNames = {
  lastRefresh: vaultTagNames.lastRefresh,
  grantedScopes: vaultTagNames.grantedScopes,
  expectedLapse: vaultTagNames.expectedLapse,
} as const;

/** https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-tags */
export const keyVaultTagLimits = { maxTags: 15, maxValueLength: 256 } as const;

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const domain = z.string().regex(/^(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i, 'must be a tenant id (GUID) or domain');
const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is missing' : `must be ${what}`),
});
// RFC 6749 §3.3 scope-token: printable ASCII except space, double quote and backslash.
const scopes = z
  .string(required('a space-separated list of scopes'))
  .transform((text) => text.split(/\s+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'contains a character a scope may not have')).min(1, 'lists no scope'));

const secretName = z.string().regex(secretNamePattern, 'must be the name of a secret in the same vault');

const tagSchema = z.object({
  [connectionTagNames.tenant]: z
    .string(required('a tenant id'))
    .pipe(z.union([guid, domain], { error: 'must be a tenant id (GUID) or a verified domain' })),
  [connectionTagNames.clientId]: z.string(required('a client id')).pipe(guid),
  [connectionTagNames.clientSecretName]: secretName.optional(),
  [connectionTagNames.clientCertificateName]: secretName.optional(),
  [connectionTagNames.scopes]: scopes,
  [connectionTagNames.cloud]: z.enum(cloudNames, { error: `must be one of ${cloudNames.join(', ')}` }).default('global'),
  [connectionTagNames.owner]: z.string().min(1).optional(),
  [connectionTagNames.team]: z.string().min(1).optional(),
  [connectionTagNames.downstream]: z.string().min(1).optional(),
});

/** Exactly one credential: a client secret's name or a certificate's. */
function credentialProblems(tags: Record<string, string>): string[] {
  const [secret, certificate] = [connectionTagNames.clientSecretName, connectionTagNames.clientCertificateName];
  if (tags[secret] === undefined && tags[certificate] === undefined)
    return [`${secret}: is missing (or name the app's certificate in ${certificate})`];
  if (tags[secret] !== undefined && tags[certificate] !== undefined)
    return [`${certificate}: a connection uses one credential; remove ${secret} or ${certificate}`];
  return [];
}

type TagReading =
  { kind: 'notAConnection' } | { kind: 'connection'; connection: Connection } | { kind: 'misconfigured'; problems: string[] };

/**
 * Reads a secret's tags into a connection, or names every problem at once. Secrets without
 * `vigil-kind: delegated-refresh-token` are not connections. Tag values are names and ids, never secrets,
 * so problems may quote them.
 */
export function readConnectionTags(ref: ConnectionRef, tags: Record<string, string>): TagReading {
  if (tags[vaultTagNames.kind] !== CONNECTION_KIND) return { kind: 'notAConnection' };
  const parsed = tagSchema.safeParse(tags);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
  problems.push(...credentialProblems(tags), ...tagBudgetProblems(tags));
  if (!parsed.success || problems.length > 0) return { kind: 'misconfigured', problems };
  const t = parsed.data;
  const certificate = t[connectionTagNames.clientCertificateName];
  const own = Object.fromEntries(Object.entries(tags).filter(([k]) => connectionTagNameSet.has(k)));
  return {
    kind: 'connection',
    connection: {
      ...ref,
      tenant: t[connectionTagNames.tenant],
      clientId: t[connectionTagNames.clientId],
      credential: certificate
        ? { kind: 'certificate', secretName: certificate }
        : { kind: 'clientSecret', secretName: t[connectionTagNames.clientSecretName]! },
      scopes: t[connectionTagNames.scopes],
      cloud: t[connectionTagNames.cloud],
      ...optional('owner', t[connectionTagNames.owner]),
      ...optional('team', t[connectionTagNames.team]),
      ...optional('downstream', t[connectionTagNames.downstream]),
      tags: own,
    },
  };
}

/** Vigil adds up to three tags on its first refresh; Key Vault refuses a 16th tag, so the room must be there. */
function tagBudgetProblems(tags: Record<string, string>): string[] {
  const missing = Object.values(writtenBackTagNames).filter((name) => !(name in tags)).length;
  const count = Object.keys(tags).length;
  if (count + missing <= keyVaultTagLimits.maxTags) return [];
  return [
    `tags: the secret has ${count} tags and Vigil needs room for ${missing} more; Key Vault allows ${keyVaultTagLimits.maxTags} per secret`,
  ];
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
