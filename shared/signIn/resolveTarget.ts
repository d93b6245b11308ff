import type { Connection } from '../tokens/Connection.js';
import { readConnectionTags } from '../tokens/connectionTags.js';
import type { TokenVault } from '../tokens/TokenPorts.js';
import { withVaultRetries } from '../tokens/withVaultRetries.js';
import type { Sleep } from '../helpers/sleep.js';
import type { SignInTarget } from './SignInLink.js';
import { toConnectionTags } from './toConnectionTags.js';

/** The connection a sign-in is for, as its tags say now, with the tags a new token version must carry. */
export interface SignInConnection extends Connection {
  owner: string;
  /** The tags of the secret's current version (reconnect), or the ones a new connection gets (connect). */
  storedTags: Record<string, string>;
  contentType: string | undefined;
  mode: 'connect' | 'reconnect';
}

export type TargetRefusal = 'connectionGone' | 'misconfigured' | 'noOwner' | 'nameTaken' | 'vaultUnavailable';

export type ResolvedTarget =
  { kind: 'resolved'; connection: SignInConnection } | { kind: 'refused'; reason: TargetRefusal; detail: string };

/** A UPN or mail address: what `login_hint` and the ID token's `preferred_username` can be compared with. */
const SIGN_IN_NAME = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads what a link's connection is now: for a reconnect, the secret's current tags (the value is
 * dropped where it is read); for a connect, the requested tags, after checking the name is free. A
 * connection without a sign-in name in `vigil-owner` cannot be reconnected by link: nobody could be
 * checked as its owner.
 */
export async function resolveTarget(
  deps: { vault: (vaultUrl: string) => TokenVault | undefined; sleep: Sleep },
  target: SignInTarget,
): Promise<ResolvedTarget> {
  const ref = target.kind === 'connect' ? target.connection : target.ref;
  const store = deps.vault(ref.vaultUrl);
  if (!store) return { kind: 'refused', reason: 'vaultUnavailable', detail: `Vigil no longer watches ${ref.vaultUrl}.` };
  const read = await withVaultRetries(() => store.read(ref.name), deps.sleep);
  if (!read.ok && read.failure.kind !== 'notFound')
    return { kind: 'refused', reason: 'vaultUnavailable', detail: `Key Vault could not be read (${read.failure.kind}).` };
  const current = read.ok ? (({ value: _value, ...safe }) => safe)(read.value) : undefined;
  if (target.kind === 'connect') {
    if (current && readConnectionTags(ref, current.tags).kind !== 'connection')
      return { kind: 'refused', reason: 'nameTaken', detail: `${ref.name} already exists in the vault and is not a token connection.` };
    const tags = toConnectionTags(target.connection);
    const reading = readConnectionTags(ref, tags);
    if (reading.kind !== 'connection') return { kind: 'refused', reason: 'misconfigured', detail: problemsOf(reading) };
    return {
      kind: 'resolved',
      connection: { ...reading.connection, owner: target.connection.owner, storedTags: tags, contentType: undefined, mode: 'connect' },
    };
  }
  if (!current) return { kind: 'refused', reason: 'connectionGone', detail: `${ref.name} is no longer in ${ref.vaultUrl}.` };
  const reading = readConnectionTags(ref, current.tags);
  if (reading.kind !== 'connection') return { kind: 'refused', reason: 'misconfigured', detail: problemsOf(reading) };
  const owner = reading.connection.owner;
  if (!owner || !SIGN_IN_NAME.test(owner))
    return { kind: 'refused', reason: 'noOwner', detail: `${ref.name} has no vigil-owner tag naming the account (UPN) that signs in.` };
  return {
    kind: 'resolved',
    connection: { ...reading.connection, owner, storedTags: current.tags, contentType: current.contentType, mode: 'reconnect' },
  };
}

function problemsOf(reading: { kind: 'notAConnection' } | { kind: 'misconfigured'; problems: string[] }): string {
  return reading.kind === 'misconfigured' ? reading.problems.join('; ') : 'the secret is not tagged as a token connection';
}

export const isSignInName = (value: string): boolean => SIGN_IN_NAME.test(value);
