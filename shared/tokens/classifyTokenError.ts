import type { RefreshFailureClass } from '../events/vigilEvent.js';
import type { TokenFailure } from './TokenPorts.js';
import { byAadstsCode, byError, bySuberror, type ErrorRule } from './tokenErrorTable.js';
import { toRemediation, type ConnectionFacts } from './toRemediation.js';

/** A failed refresh, classified: what it means, who must act, and the code that proves it (never a message). */
export interface ClassifiedFailure {
  failureClass: RefreshFailureClass;
  /** `AADSTS50173`, `temporarily_unavailable`, `HTTP 503`, `network`, `KeyVault:Forbidden`, … */
  code: string;
  cause: string;
  whoMustAct: string;
  remediation: string;
  correlationId: string | undefined;
  /** How long the service asked us to wait (`Retry-After`). */
  retryAfterMs: number | undefined;
}

/**
 * Classifies a token endpoint failure from its AADSTS code (`error_codes[0]`, or the code opening the
 * description when the body lists none: readAadstsCodes), `suberror`, `error` and HTTP status, in that
 * order (tokenErrorTable.ts). A known code decides alone, so one code always has one class. Unreachable,
 * 5xx and 429 are transient. Anything else is `unknown`, with its code, so a new Entra behaviour reaches
 * a person instead of being guessed away.
 */
export function classifyTokenError(failure: TokenFailure, connection: ConnectionFacts): ClassifiedFailure {
  const { rule, code } = findRule(failure);
  const correlationId = failure.kind === 'rejected' ? failure.correlationId : undefined;
  const retryAfterMs = failure.kind === 'rejected' ? failure.retryAfterMs : undefined;
  return { ...rule, code, ...toRemediation(rule.failureClass, connection, rule.cause), correlationId, retryAfterMs };
}

function findRule(failure: TokenFailure): { rule: ErrorRule; code: string } {
  if (failure.kind === 'unreachable')
    return { rule: { failureClass: 'transient', cause: `the token endpoint gave no answer (${failure.reason})` }, code: 'network' };
  const aadsts = failure.codes[0];
  const code = aadsts !== undefined ? `AADSTS${aadsts}` : (failure.error ?? `HTTP ${failure.status}`);
  const known =
    (aadsts !== undefined ? byAadstsCode.get(aadsts) : undefined) ??
    bySuberror.get(failure.suberror ?? '') ??
    byError.get(failure.error ?? '');
  if (known) return { rule: known, code };
  if (failure.status === 429)
    return { rule: { failureClass: 'transient', cause: 'the token endpoint is throttling requests' }, code: 'HTTP 429' };
  if (failure.status >= 500)
    return {
      rule: { failureClass: 'transient', cause: `the token endpoint failed with HTTP ${failure.status}` },
      code: `HTTP ${failure.status}`,
    };
  const what = [failure.error, failure.suberror].filter(Boolean).join('/') || `HTTP ${failure.status}`;
  return { rule: { failureClass: 'unknown', cause: `the token endpoint refused with ${code} (${what}), which Vigil does not know` }, code };
}
