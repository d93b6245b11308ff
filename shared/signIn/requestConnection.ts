import type { DateTime } from 'luxon';
import { readConnectionTags } from '../tokens/connectionTags.js';
import type { ConnectionCredentialFacts } from '../tokens/ConnectionCredentialFacts.js';
import { loadCredential } from '../tokens/loadCredential.js';
import type { TokenVault } from '../tokens/TokenPorts.js';
import type { SignInStore } from './SignInPorts.js';
import { withVaultRetries } from '../tokens/withVaultRetries.js';
import type { Sleep } from '../helpers/sleep.js';
import { checkRedirectUri, type AppRegistrations, type RedirectUriCheck } from './checkRedirectUri.js';
import { mintSignInLink, toCallbackUrl, type LinkSettings, type MintedLink } from './mintSignInLink.js';
import type { LinkPurpose, NewConnection, SignInTarget } from './SignInLink.js';
import { toConnectionTags } from './toConnectionTags.js';

export interface LinkRequestDeps {
  store: SignInStore;
  settings: LinkSettings;
  apps: AppRegistrations;
  vault: (vaultUrl: string) => TokenVault | undefined;
  sleep: Sleep;
}

export type LinkAnswer =
  | { kind: 'link'; link: MintedLink; redirectUri: string; redirectUriCheck: RedirectUriCheck }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'exists'; detail: string }
  | { kind: 'redirectUriMissing'; redirectUri: string; clientId: string };

/**
 * Connect: checks a new connection as the token keeper will read it (its tags), that the name is free,
 * that the app's client secret or certificate is in the vault, usable and not expired, and that the app lists Vigil's redirect URI, then answers
 * with a sign-in link for its owner. Nothing is written to Key Vault until the owner signs in.
 */
export async function requestConnection(deps: LinkRequestDeps, connection: NewConnection, now: DateTime): Promise<LinkAnswer> {
  const reading = readConnectionTags(connection, toConnectionTags(connection));
  const problems = reading.kind === 'misconfigured' ? [...reading.problems] : [];
  if (!connection.scopes.includes('offline_access'))
    problems.push('scopes: must include offline_access, or Microsoft issues no refresh token to keep alive');
  if (problems.length > 0) return { kind: 'invalid', problems };
  const store = deps.vault(connection.vaultUrl)!;
  const existing = await withVaultRetries(() => store.read(connection.name), deps.sleep);
  if (existing.ok)
    return {
      kind: 'exists',
      detail: `${connection.name} already exists in ${connection.vaultUrl}; reconnect it with POST /api/connections/${connection.name}/sign-in-link, or choose another name.`,
    };
  if (existing.failure.kind !== 'notFound')
    return { kind: 'invalid', problems: [`vault: Key Vault could not be read (${existing.failure.kind})`] };
  if (reading.kind !== 'connection') return { kind: 'invalid', problems: ['tags: the connection does not read as one'] };
  const { credential } = reading.connection;
  const field = credential.kind === 'certificate' ? 'clientCertificateName' : 'clientSecretName';
  const secret = await withVaultRetries(() => store.read(credential.secretName), deps.sleep);
  if (!secret.ok)
    return {
      kind: 'invalid',
      problems: [`${field}: ${credential.secretName} cannot be read from ${connection.vaultUrl} (${secret.failure.kind})`],
    };
  // Checked as the sign-in will use it: a PKCS#12 or a PEM without its key would fail only after the owner signed in.
  const loaded = loadCredential(reading.connection, secret.value);
  if ('failure' in loaded) return { kind: 'invalid', problems: [`${field}: ${loaded.failure.cause}`] };
  const ended = endedCredential(loaded.facts, now);
  if (ended) return { kind: 'invalid', problems: [`${field}: ${ended}`] };
  return linkFor(deps, { kind: 'connect', connection }, connection, 'connect', now);
}

/**
 * Why Entra would refuse the credential at the owner's sign-in, when its end (the certificate's `notAfter`,
 * or the Key Vault `exp` rotation sets to a secret's end) is past: AADSTS700027 for a certificate,
 * AADSTS7000222 for a client secret. The owner would sign in only to be told the app cannot.
 */
function endedCredential(facts: ConnectionCredentialFacts, now: DateTime): string | undefined {
  if (!facts.endDateTime || Date.parse(facts.endDateTime) > now.toMillis()) return undefined;
  const what = facts.kind === 'certificate' ? 'the certificate in' : 'the client secret in';
  const code = facts.kind === 'certificate' ? 'AADSTS700027' : 'AADSTS7000222';
  return `${what} ${facts.name} expired at ${facts.endDateTime}, so Entra would refuse the sign-in (${code}); store a current one first`;
}

/** A link for a connection whose target and details are known: checks the redirect URI, then mints. */
export async function linkFor(
  deps: LinkRequestDeps,
  target: SignInTarget,
  app: { tenant: string; clientId: string },
  purpose: LinkPurpose,
  now: DateTime,
): Promise<LinkAnswer> {
  const redirectUri = toCallbackUrl(deps.settings.baseUrl);
  const check = await checkRedirectUri(deps.apps, app.tenant, app.clientId, redirectUri);
  if (check.kind === 'missing') return { kind: 'redirectUriMissing', redirectUri, clientId: app.clientId };
  return { kind: 'link', link: await mintSignInLink(deps, target, purpose, now), redirectUri, redirectUriCheck: check };
}
