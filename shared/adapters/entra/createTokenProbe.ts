import type { SecretProbeResult, TokenProbe } from '../../rotation/RotationPorts.js';
import { isVigilFault } from '../http/isVigilFault.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import { askTokenEndpoint } from './askTokenEndpoint.js';
import type { Clock } from './Clock.js';
import type { TokenAnswer } from './postTokenRequest.js';
import { readAadstsCodes } from './readAadstsCodes.js';
import { SIGN_IN_DEADLINE_MS } from '../../helpers/signInTimedOut.js';
import { noAnswerReason, SignInTimeoutError, SignInUnansweredError, TIMED_OUT_REASON } from './signInUnavailable.js';

/** 200 with a token: accepted (the token is dropped). Entra's 400/401 errors: rejected with the AADSTS code. */
export function checkTokenAnswer(answer: Pick<TokenAnswer, 'status' | 'body'>): SecretProbeResult {
  const { status, body } = answer;
  if (status >= 200 && status < 300 && typeof body['access_token'] === 'string') return { kind: 'accepted' };
  if (status === 400 || status === 401) {
    const error = typeof body['error'] === 'string' ? body['error'] : `HTTP ${status}`;
    const aadsts = readAadstsCodes(body)[0];
    return { kind: 'rejected', code: `${error}${aadsts === undefined ? '' : ` AADSTS${aadsts}`}` };
  }
  return { kind: 'unreachable', reason: `HTTP ${status}` };
}

/**
 * Proves a new secret works: a `client_credentials` token request with it (protocol-facts §2) to
 * `{login}/{tenant}/oauth2/v2.0/token`, for `scope` (Graph's `/.default`), sent as every token request Vigil
 * makes as an app is (askTokenEndpoint: the sign-ins' kept-alive connections and span, a dropped connection
 * sent again at once, Entra's 429/5xx waited out, all within the sign-in deadline); a client credentials
 * request spends nothing when sent twice. No answer is `unreachable` (a passing outage, tried again later).
 * A request Vigil could not make (an invalid login URL, a bug: the vigilFault rule) is a failure for good, as
 * the rotation's Graph calls report one, with its class and stack frames, never its message, in Vigil's log
 * (`vigilFaultLog`: each distinct trace at most once an hour).
 */
export function createTokenProbe(
  login: string,
  scope: string,
  options: { vigilFaultLog: VigilFaultLog; clock?: Clock; deadlineMs?: number },
): TokenProbe {
  const deadlineMs = options.deadlineMs ?? SIGN_IN_DEADLINE_MS;
  return {
    async request(tenantId, appId, secret) {
      const url = `${login.replace(/\/$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
      const build = () =>
        Promise.resolve({
          form: new URLSearchParams({ grant_type: 'client_credentials', client_id: appId, client_secret: secret, scope }),
          headers: new Headers(),
        });
      try {
        return checkTokenAnswer(await askTokenEndpoint(url, build, { deadlineMs, clock: options.clock ?? Date.now }));
      } catch (error) {
        if (error instanceof SignInTimeoutError) return { kind: 'unreachable', reason: TIMED_OUT_REASON };
        if (error instanceof SignInUnansweredError) return { kind: 'unreachable', reason: noAnswerReason(error.socketCode) };
        if (!isVigilFault(error)) throw error;
        options.vigilFaultLog(error, 'Token request');
        const { name } = error as Error;
        const reason = `Vigil could not make its token request to check the new secret (${name}): a fault in Vigil or its settings, not Entra's`;
        return { kind: 'failed', reason, transient: false };
      }
    },
  };
}
