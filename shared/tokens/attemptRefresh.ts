import type { DateTime } from 'luxon';
import { classifyTokenError, type ClassifiedFailure } from './classifyTokenError.js';
import {
  clientSecretLapseCodes,
  type ConnectionCredentialFacts,
  type ClientSecretFindings,
  type LinkedFinding,
} from './ConnectionCredentialFacts.js';
import { classifyVaultFailure } from './classifyVaultFailure.js';
import type { Connection, ConnectionRef } from './Connection.js';
import { readConnectionTags } from './connectionTags.js';
import type { AttemptOutcome } from './nextConnectionState.js';
import { REFRESH_TOKEN_INACTIVITY, type RefreshPolicy } from './RefreshPolicy.js';
import type { TokenVault, StoredSecret, TokenEndpoint, TokenGrant } from './TokenPorts.js';
import { tagProbedVersion, writeBackToken } from './storeRefreshedToken.js';
import { loadCredential } from './loadCredential.js';
import { holdsNoToken, toEmptyTokenFailure } from './toEmptyTokenFailure.js';
import type { ReadCertificate } from './createCertificateCache.js';
import { withVaultRetries } from './withVaultRetries.js';
import { withRetries } from './withRetries.js';
import type { Sleep } from '../helpers/sleep.js';
import type { VaultResult } from '../vault/VaultFailure.js';

export interface AttemptDeps {
  store: TokenVault;
  tokenEndpoint: TokenEndpoint;
  policy: RefreshPolicy;
  sleep: Sleep;
  /** The scanner's findings, to tie a lapsed client secret to the finding that already tells of it. */
  clientSecretFindings: ClientSecretFindings;
  /** Certificates read once per secret version (createCertificateCache). */
  readCertificate: ReadCertificate;
}

/** Client secrets are shared by many connections of one app; a value this fresh is reused. */
const CLIENT_SECRET_REUSE_MS = 5 * 60_000;

/**
 * An attempt's outcome, and the warnings of the Key Vault work that cannot change it (a probe's tag
 * update, a write-back's disabling of older versions), which may still be under way when the outcome is
 * known: the caller may tell of the outcome, save it and give up the lease meanwhile; only a failed publish
 * holds the lease until `warnings` settles (docs/tokens.md, "How a refresh runs").
 */
export interface RefreshAttempt {
  outcome: AttemptOutcome | { kind: 'notAConnection' };
  warnings: Promise<string[]>;
}

const noWarnings = (): Promise<string[]> => Promise.resolve([]);

/** Reads a connection's token (its value, version and tags), retried as every Key Vault call is. */
export const readToken = (deps: Pick<AttemptDeps, 'store' | 'sleep'>, ref: ConnectionRef): Promise<VaultResult<StoredSecret>> =>
  withVaultRetries(() => deps.store.read(ref.name), deps.sleep);

/**
 * One refresh of one connection, with its lease already held: read the token and its tags, read the
 * client secret, redeem the token, then store the rotated token (when the stored one is old enough) or
 * only tag the probe. Every failure becomes a classified outcome; the stored token is never removed,
 * so a failure after Entra answered loses nothing. `tokenRead` is the token's read when it was started
 * beside taking the lease (refreshConnection says when that is safe); otherwise it is read here.
 */
export async function attemptRefresh(
  deps: AttemptDeps,
  ref: ConnectionRef,
  now: DateTime,
  tokenRead?: Promise<VaultResult<StoredSecret>>,
): Promise<RefreshAttempt> {
  const read = await (tokenRead ?? readToken(deps, ref));
  // A secret that does not exist (any more) is no connection: nothing to refresh or to report.
  if (!read.ok && read.failure.kind === 'notFound') return { outcome: { kind: 'notAConnection' }, warnings: noWarnings() };
  if (!read.ok) return failed(undefined, classifyVaultFailure(read.failure, 'readToken', ref), undefined);
  const { value: refreshToken, ...secret } = read.value;
  const reading = readConnectionTags(ref, secret.tags);
  if (reading.kind === 'notAConnection') return { outcome: { kind: 'notAConnection' }, warnings: noWarnings() };
  if (reading.kind === 'misconfigured')
    return {
      outcome: { kind: 'misconfigured', problems: reading.problems, tokenVersion: secret.version, tokenCreatedOn: secret.createdOn },
      warnings: noWarnings(),
    };
  const connection = reading.connection;
  if (holdsNoToken(refreshToken)) return failed(connection, toEmptyTokenFailure(connection, refreshToken), secret);

  const stored = await withVaultRetries(
    () => deps.store.read(connection.credential.secretName, { maxAgeMs: CLIENT_SECRET_REUSE_MS }),
    deps.sleep,
  );
  if (!stored.ok) return failed(connection, classifyVaultFailure(stored.failure, 'readCredential', connection), secret);
  const loaded = loadCredential(connection, stored.value, deps.readCertificate);
  if ('failure' in loaded) return failed(connection, loaded.failure, secret);
  const { credential, facts: clientSecret } = loaded;

  const request = {
    cloud: connection.cloud,
    tenant: connection.tenant,
    clientId: connection.clientId,
    credential,
    refreshToken,
    scopes: connection.scopes,
  };
  const answer = await withRetries(
    () => deps.tokenEndpoint.refresh(request),
    (result) =>
      result.kind === 'granted'
        ? { retry: false }
        : {
            retry: classifyTokenError(result, connection).failureClass === 'transient',
            retryAfterMs: result.kind === 'rejected' ? result.retryAfterMs : undefined,
          },
    { maxAttempts: 3, sleep: deps.sleep },
  );
  if (answer.kind !== 'granted') {
    const failure = classifyTokenError(answer, connection);
    // A rotated client secret may sit in the reuse cache: read it afresh next time.
    if (failure.failureClass === 'clientCredentialProblem') deps.store.forget(connection.credential.secretName);
    const linkedFinding = await linkToFinding(deps, failure, clientSecret, connection.clientId, now);
    return failed(connection, failure, secret, { clientSecret, ...(linkedFinding ? { linkedFinding } : {}) });
  }
  return storeResult(deps, connection, secret, answer, now, clientSecret);
}

async function storeResult(
  deps: AttemptDeps,
  connection: Connection,
  secret: Omit<StoredSecret, 'value'>,
  grant: TokenGrant,
  now: DateTime,
  clientSecret: ConnectionCredentialFacts,
): Promise<RefreshAttempt> {
  const grantedScopes = grant.grantedScopes.length > 0 ? grant.grantedScopes : connection.scopes;
  const due = !secret.createdOn || now.diff(secret.createdOn) >= deps.policy.writeBackAge;
  if (grant.refreshToken === undefined || !due) {
    // The stored token stays; it lapses 90 days after it was issued, which is no later than its version's creation.
    const expectedLapse = (secret.createdOn ?? now).plus(REFRESH_TOKEN_INACTIVITY);
    // The probe succeeded whatever the tag update answers (a failure is a warning): it runs on while the outcome is told.
    const warnings = tagProbedVersion(deps.store, secret, { refreshedAt: now, grantedScopes, expectedLapse }, deps.sleep);
    return {
      outcome: {
        kind: 'refreshed',
        connection,
        tokenVersion: secret.version,
        tokenCreatedOn: secret.createdOn,
        wroteBack: false,
        grantedScopes,
        expectedLapse,
        clientSecret,
      },
      warnings,
    };
  }
  const expectedLapse = grant.refreshTokenExpiresIn
    ? now.plus({ seconds: grant.refreshTokenExpiresIn })
    : now.plus(REFRESH_TOKEN_INACTIVITY);
  const stored = await writeBackToken(
    deps.store,
    secret,
    grant.refreshToken,
    { refreshedAt: now, grantedScopes, expectedLapse },
    deps.sleep,
  );
  if (stored.kind === 'failed') return failed(connection, classifyVaultFailure(stored.failure, 'writeBack', connection), secret);
  return {
    outcome: {
      kind: 'refreshed',
      connection,
      tokenVersion: stored.version,
      tokenCreatedOn: stored.createdOn ?? now,
      wroteBack: true,
      grantedScopes,
      expectedLapse,
      clientSecret,
    },
    warnings: stored.disabling,
  };
}

function failed(
  connection: Connection | undefined,
  failure: ReturnType<typeof classifyTokenError>,
  secret: Omit<StoredSecret, 'value'> | undefined,
  about: { clientSecret?: ConnectionCredentialFacts; linkedFinding?: LinkedFinding } = {},
): RefreshAttempt {
  return {
    outcome: { kind: 'failed', connection, failure, tokenVersion: secret?.version, tokenCreatedOn: secret?.createdOn, ...about },
    warnings: noWarnings(),
  };
}

/**
 * An expired or invalid client secret (AADSTS7000222, 7000215) is the scanner's finding too: the failure
 * is tied to it, so a person hears of one problem once. Only the secret the copy names counts, or the
 * app's one ended secret when the copy names none.
 */
async function linkToFinding(
  deps: AttemptDeps,
  failure: ClassifiedFailure,
  clientSecret: ConnectionCredentialFacts,
  clientId: string,
  now: DateTime,
): Promise<LinkedFinding | undefined> {
  if (!clientSecretLapseCodes.includes(failure.code)) return undefined;
  return deps.clientSecretFindings.find(clientSecret.appId ?? clientId.toLowerCase(), clientSecret.keyId, now.toMillis());
}
