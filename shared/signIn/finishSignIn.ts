import type { DateTime } from 'luxon';
import { classifyTokenError } from '../tokens/classifyTokenError.js';
import { describeCredential } from '../tokens/Connection.js';
import { loadCredential } from '../tokens/loadCredential.js';
import { REFRESH_TOKEN_INACTIVITY } from '../tokens/RefreshPolicy.js';
import { writeBackToken } from '../tokens/storeRefreshedToken.js';
import { withVaultRetries } from '../tokens/withVaultRetries.js';
import type { RedeemedCode, SignInDeps } from './SignInPorts.js';
import { checkStoredLink } from './checkSignInLink.js';
import { toCallbackUrl, toLinkId } from './mintSignInLink.js';
import { resolveTarget, type SignInConnection } from './resolveTarget.js';
import { toTargetKey } from './SignInLink.js';
import { refused, type SignInOutcome } from './SignInOutcome.js';
import { hashState } from './startSignIn.js';
import { toSignInEvents } from './toSignInEvents.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * Entra's answer at the redirect URI: take the started sign-in by its state (once), check the link is
 * still open, redeem the code with the app's credential, check the ID token names the expected owner,
 * then store the refresh token as a new version with the connection's tags, retire every other link of
 * the connection, probe the token as the keeper would and publish the outcome. Whatever refuses, nothing
 * is stored, and the connection's routes hear about it.
 */
export async function finishSignIn(deps: SignInDeps, callback: URLSearchParams, now: DateTime): Promise<SignInOutcome> {
  const outcome = await complete(deps, callback, now);
  await deps.events.publish(toSignInEvents(outcome, deps.homeTenantId, now));
  return outcome;
}

async function complete(deps: SignInDeps, callback: URLSearchParams, now: DateTime): Promise<SignInOutcome> {
  const state = callback.get('state') ?? '';
  const flow = state ? await deps.store.takeFlow(hashState(state)) : undefined;
  if (!flow) return refused('unknownState', 'This sign-in answer does not belong to a sign-in started here, or was already used.');
  const linkId = toLinkId(flow.linkHash);
  if (Date.parse(flow.expiresAt) <= now.toMillis())
    return refused('flowExpired', 'The sign-in took longer than Vigil waits for it.', { linkId });
  const check = await checkStoredLink(deps.store, flow.linkHash, now);
  // A sign-in started while its link was open may finish after the link's last minute (once: it marks the link
  // used like any other); a used or retired link may not, whatever its age.
  if (check.kind === 'refused' && check.reason !== 'expired') return refused(check.reason, '', { linkId });
  const link = check.link;
  const resolved = await resolveTarget(deps, link.target);
  if (resolved.kind === 'refused') return refused(resolved.reason, resolved.detail, { linkId });
  const connection = resolved.connection;
  const context = { connection, linkId };
  const error = callback.get('error');
  if (error) {
    const code = /^AADSTS(\d+)/.exec(callback.get('error_description') ?? '')?.[0] ?? error;
    return error === 'access_denied'
      ? refused('consentDenied', 'The consent to the app’s permissions was declined.', { ...context, code })
      : refused('entraError', `Microsoft sign-in answered ${error}.`, { ...context, code });
  }
  const redeemed = await redeem(deps, connection, callback, state, flow);
  if (redeemed.kind !== 'redeemed') return refused(redeemed.reason, redeemed.detail, { ...context, code: redeemed.code });
  const { user } = redeemed;
  if ((user.username ?? '').toLowerCase() !== connection.owner.toLowerCase())
    return refused('wrongUser', `Signed in as ${user.username ?? 'an unnamed account'}, not ${connection.owner}.`, { ...context, user });
  if (!redeemed.refreshToken)
    return refused('noRefreshToken', 'Microsoft issued no refresh token: the app was not granted offline_access.', { ...context, user });
  if (!(await deps.store.markUsed(flow.linkHash, check.etag, toIsoUtc(now))))
    return refused('used', 'Another sign-in through this link completed first.', { ...context, user });
  const stored = await store(deps, connection, redeemed, now);
  if (stored.kind === 'failed') return refused('vaultFailed', 'Key Vault refused the new token.', { ...context, user, code: stored.code });
  await deps.store.retireLinks(toTargetKey(link.target), toIsoUtc(now));
  const probe = await deps.probe(connection, now);
  return { kind: 'connected', connection, user, version: stored.version, probe, linkId };
}

type Redeemed =
  | RedeemedCode
  | {
      kind: 'failed';
      reason: 'clientSecretUnavailable' | 'entraError' | 'entraUnavailable' | 'invalidIdToken' | 'vigilFault';
      detail: string;
      code: string | undefined;
    };

async function redeem(
  deps: SignInDeps,
  connection: SignInConnection,
  callback: URLSearchParams,
  state: string,
  flow: { codeVerifier: string; nonce: string },
): Promise<Redeemed> {
  const store = deps.vault(connection.vaultUrl)!;
  // Read afresh (a credential just renewed counts), and left in the vault's reuse cache for the probe that follows.
  const stored = await withVaultRetries(() => store.read(connection.credential.secretName, { maxAgeMs: 0 }), deps.sleep);
  const what = `The app's ${describeCredential(connection.credential)}`;
  if (!stored.ok)
    return {
      kind: 'failed',
      reason: 'clientSecretUnavailable',
      detail: `${what} could not be read from Key Vault.`,
      code: `KeyVault:${stored.failure.kind}`,
    };
  const loaded = loadCredential(connection, stored.value, deps.readCertificate);
  if ('failure' in loaded)
    return {
      kind: 'failed',
      reason: 'clientSecretUnavailable',
      detail: `${what} is not usable: ${loaded.failure.cause}.`,
      code: loaded.failure.code,
    };
  const answer = await deps.server.redeem({
    cloud: connection.cloud,
    tenant: connection.tenant,
    clientId: connection.clientId,
    credential: loaded.credential,
    callback,
    expectedState: state,
    redirectUri: toCallbackUrl(deps.settings.baseUrl),
    codeVerifier: flow.codeVerifier,
    nonce: flow.nonce,
    scopes: connection.scopes,
  });
  if (answer.kind === 'redeemed') return answer;
  if (answer.kind === 'invalidIdToken') return { kind: 'failed', reason: 'invalidIdToken', detail: answer.reason, code: undefined };
  // No request reached Microsoft: nothing the owner or Entra did, and nothing a retry mends until the fault is.
  // The page already says what was refused and shows the code: the detail only says whose fault it is.
  if (answer.kind === 'vigilFault')
    return {
      kind: 'failed',
      reason: 'vigilFault',
      detail: "The fault is on Vigil's side, not yours or Microsoft's: the link works again once it is mended.",
      code: answer.code,
    };
  const failure = classifyTokenError(answer, connection);
  const cause = (answer.kind === 'rejected' ? redemptionCauses.get(answer.codes[0] ?? 0) : undefined) ?? failure.cause;
  return {
    kind: 'failed',
    reason: failure.failureClass === 'transient' ? 'entraUnavailable' : 'entraError',
    detail: `Microsoft refused to redeem the sign-in: ${cause}.`,
    code: failure.code,
  };
}

/** Codes only a code redemption gets (v2-oauth2-auth-code-flow, reference-error-codes); the rest read as for a refresh. */
const redemptionCauses: ReadonlyMap<number, string> = new Map([
  [54005, 'the sign-in answer was already redeemed'],
  [70008, 'the sign-in answer expired before Vigil redeemed it'],
  [70000, 'the sign-in answer is not valid'],
  [501481, 'the PKCE verifier does not match the sign-in'],
  [500112, 'the redirect URI differs from the one the sign-in used'],
]);

async function store(
  deps: SignInDeps,
  connection: SignInConnection,
  redeemed: RedeemedCode,
  now: DateTime,
): Promise<{ kind: 'stored'; version: string } | { kind: 'failed'; code: string }> {
  const grantedScopes = redeemed.grantedScopes.length > 0 ? redeemed.grantedScopes : connection.scopes;
  const expectedLapse = redeemed.refreshTokenExpiresIn
    ? now.plus({ seconds: redeemed.refreshTokenExpiresIn })
    : now.plus(REFRESH_TOKEN_INACTIVITY);
  const written = await writeBackToken(
    deps.vault(connection.vaultUrl)!,
    { name: connection.name, version: '', tags: connection.storedTags, contentType: connection.contentType, createdOn: undefined },
    redeemed.refreshToken!,
    { refreshedAt: now, grantedScopes, expectedLapse },
    deps.sleep,
  );
  return written.kind === 'stored'
    ? { kind: 'stored', version: written.version }
    : { kind: 'failed', code: `KeyVault:${written.failure.kind}` };
}
