import type { RefreshFailureClass } from '../events/vigilEvent.js';

export interface ErrorRule {
  failureClass: RefreshFailureClass;
  /** What happened, in a phrase a person reads. */
  cause: string;
}

const rule = (failureClass: RefreshFailureClass, cause: string): ErrorRule => ({ failureClass, cause });

/**
 * AADSTS codes Vigil knows, checked first because they are the most specific. Sources:
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes and protocol-facts §2.
 * A code not listed here makes the failure `unknown` (with the code), unless `error` is one of the
 * unambiguous values below: a new code is never guessed into a class.
 */
export const byAadstsCode: ReadonlyMap<number, ErrorRule> = new Map([
  [700082, rule('revoked', 'the refresh token expired after 90 days without use')],
  [70008, rule('revoked', 'the refresh token expired or was revoked')],
  [700084, rule('revoked', 'the refresh token reached its fixed lifetime')],
  [50173, rule('revoked', 'the grant was revoked (sessions revoked or password reset)')],
  [70043, rule('revoked', 'Conditional Access sign-in frequency demands a fresh sign-in')],
  [50057, rule('revoked', 'the user account is disabled')],
  [50034, rule('revoked', 'the user account no longer exists')],
  [50055, rule('revoked', "the user's password expired")],
  [70000, rule('revoked', 'the stored value is not a valid refresh token for this app')],
  [65001, rule('consentWithdrawn', 'consent for the app was withdrawn or never granted')],
  [65004, rule('consentWithdrawn', 'the user declined consent')],
  [90094, rule('consentWithdrawn', 'the app needs administrator consent')],
  [50076, rule('interactionRequired', 'multi-factor authentication is required')],
  [50079, rule('interactionRequired', 'the user must register for multi-factor authentication')],
  [50078, rule('interactionRequired', 'the multi-factor authentication claim expired')],
  [50074, rule('interactionRequired', 'strong authentication is required')],
  [53003, rule('interactionRequired', 'Conditional Access blocked the sign-in')],
  [53000, rule('interactionRequired', 'Conditional Access requires a compliant device')],
  [50158, rule('interactionRequired', 'an external security challenge was not satisfied')],
  [7000215, rule('clientCredentialProblem', 'the client secret is invalid')],
  [7000222, rule('clientCredentialProblem', 'the client secret has expired')],
  [7000218, rule('clientCredentialProblem', 'no client secret or assertion was sent')],
  [700027, rule('clientCredentialProblem', 'the certificate is not registered on the app, has expired, or did not sign the assertion')],
  [
    700024,
    rule('clientCredentialProblem', "the certificate's assertion is outside its valid time range (check the clock of Vigil's host)"),
  ],
  [700021, rule('clientCredentialProblem', "the certificate's assertion names another app than the client id")],
  [50027, rule('clientCredentialProblem', "Entra refused the certificate's assertion as invalid or malformed")],
  [700016, rule('appMissing', 'the application was not found in the tenant')],
  [7000112, rule('appMissing', 'the application is disabled')],
  [70001, rule('appMissing', 'the application is disabled in the tenant')],
  [90002, rule('configError', 'the tenant was not found (check vigil-tenant and vigil-cloud)')],
  [900023, rule('configError', 'the tenant id is not valid')],
  [70011, rule('configError', 'the requested scope is not valid (check vigil-scopes)')],
  [500011, rule('configError', 'the requested resource was not found in the tenant (check vigil-scopes)')],
  [900144, rule('configError', 'the request lacked a required parameter')],
  [9002313, rule('configError', 'the request was malformed')],
  [50020, rule('configError', 'the user belongs to another tenant (check vigil-tenant)')],
  [90055, rule('transient', 'the tenant is being throttled')],
  [90033, rule('transient', 'the service is temporarily unavailable')],
  [50196, rule('transient', 'Entra detected a request loop and is slowing the client down')],
]);

/** `suberror` values Entra adds to some `invalid_grant`s (MSAL reads the same). */
export const bySuberror: ReadonlyMap<string, ErrorRule> = new Map([
  ['bad_token', rule('revoked', 'the refresh token is no longer valid')],
  ['user_password_expired', rule('revoked', "the user's password expired")],
  ['consent_required', rule('consentWithdrawn', 'consent is required')],
  ['basic_action', rule('interactionRequired', 'the user must complete an interactive step')],
  ['additional_action', rule('interactionRequired', 'the user must complete an additional interactive step')],
  ['message_only', rule('interactionRequired', 'the user must read a message during sign-in')],
]);

/** OAuth `error` values that are unambiguous alone; generic ones (`invalid_grant`, `invalid_client`) are not here. */
export const byError: ReadonlyMap<string, ErrorRule> = new Map([
  ['interaction_required', rule('interactionRequired', 'an interactive sign-in is required')],
  ['login_required', rule('interactionRequired', 'a sign-in is required')],
  ['consent_required', rule('consentWithdrawn', 'consent is required')],
  ['invalid_scope', rule('configError', 'the requested scope is not valid (check vigil-scopes)')],
  ['invalid_resource', rule('configError', 'the requested resource is not valid (check vigil-scopes)')],
  ['temporarily_unavailable', rule('transient', 'the token endpoint is temporarily unavailable')],
]);
