/**
 * Key Vault's error answers, with the codes and messages the real service sends (quoted from SDK
 * recordings and public traces; see /work/shared/reference/protocol-facts.md §1 "Errors").
 * Body shape: `{"error": {"code", "message", "innererror"?}}`; the SDK surfaces `error.code` as
 * `RestError.code` and the inner error as `details.error.innerError`.
 */
export interface KeyVaultErrorBody {
  error: { code: string; message: string; innererror?: { code: string } };
}

export interface KeyVaultFailure {
  status: 400 | 401 | 403 | 404 | 409 | 429 | 500;
  body: KeyVaultErrorBody;
  headers?: Record<string, string>;
}

function failure(status: KeyVaultFailure['status'], code: string, message: string, inner?: string): KeyVaultFailure {
  return { status, body: { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } } };
}

const recoveryHint =
  'If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182';

export function secretNotFound(name: string, version?: string): KeyVaultFailure {
  const nameId = version ? `${name}/${version}` : name;
  return failure(404, 'SecretNotFound', `A secret with (name/id) ${nameId} was not found in this key vault. ${recoveryHint}`);
}

export function deletedSecretNotFound(name: string): KeyVaultFailure {
  return failure(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
}

export function secretDisabled(): KeyVaultFailure {
  return failure(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
}

export function deletedButRecoverable(name: string): KeyVaultFailure {
  return failure(
    409,
    'Conflict',
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    'ObjectIsDeletedButRecoverable',
  );
}

export function badParameter(message: string): KeyVaultFailure {
  return failure(400, 'BadParameter', message);
}

export function invalidName(name: string): KeyVaultFailure {
  return badParameter(`The request URI contains an invalid name: ${name}`);
}

/** 401 carries the challenge so the SDK can fetch a token and retry. */
export function unauthorized(message: string, challenge: string): KeyVaultFailure {
  return { ...failure(401, 'Unauthorized', message), headers: { 'www-authenticate': challenge } };
}

export interface RbacDenial {
  appId: string;
  objectId: string;
  issuer: string;
  action: string;
  resource: string;
  vaultName: string;
  region: string;
}

/** The RBAC denial as Key Vault words it (CRLF-separated lines, trailing space after the reason included). */
export function forbiddenByRbac(d: RbacDenial): KeyVaultFailure {
  const message = [
    'Caller is not authorized to perform action on resource.',
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
    `Caller: appid=${d.appId};oid=${d.objectId};iss=${d.issuer}`,
    `Action: '${d.action}'`,
    `Resource: '${d.resource}'`,
    'Assignment: (not found)',
    'DenyAssignmentId: null',
    "DecisionReason: 'DeniedWithNoValidRBAC' ",
    `Vault: ${d.vaultName};location=${d.region}`,
    '',
  ].join('\r\n');
  return failure(403, 'Forbidden', message, 'ForbiddenByRbac');
}

export function throttled(retryAfterSeconds: number): KeyVaultFailure {
  return {
    ...failure(429, 'Throttled', 'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached'),
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}
