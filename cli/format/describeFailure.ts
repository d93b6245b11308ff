import type { ApiFailure } from '../ApiOutcome.js';

export interface FailureContext {
  /** How the CLI signed in (createCliCredential's description). */
  credential: string;
  scope: string;
}

const signInHelp = [
  'Sign in one of these ways:',
  '  az login, then --auth cli (your account needs a Vigil app role)',
  '  AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for an app holding a Vigil app role (--auth env)',
  '  --auth device-code, to sign in in a browser with a code',
];

/** What a person reads when a call fails: what Vigil said, and what to do about it. Never a token. */
export function describeFailure(failure: ApiFailure, context: FailureContext): string[] {
  switch (failure.kind) {
    case 'signInFailed':
      return [`Could not sign in with ${failure.credential} for ${context.scope}: ${failure.message}`, ...signInHelp];
    case 'unreachable':
      return [`Could not reach Vigil at ${failure.url}: ${failure.message}`, 'Check --url (or VIGIL_URL) and that Vigil is running.'];
    case 'requestNotMade':
      return [
        `The CLI could not make its request to ${failure.url} (${failure.errorName}): check --function-key (or VIGIL_FUNCTION_KEY) and --url (or VIGIL_URL).`,
      ];
    case 'foreignLink':
      return [`Vigil's next page is on another host (${failure.url}); the CLI does not send your token there.`];
    case 'problem':
      return describeProblem(failure, context);
  }
}

function describeProblem(failure: Extract<ApiFailure, { kind: 'problem' }>, context: FailureContext): string[] {
  const { problem, status } = failure;
  const said = [problem.title, problem.detail].filter(Boolean).join(': ');
  const headline = `Vigil answered ${status} to ${failure.method} ${failure.url}${said ? ` — ${said}` : ''}`;
  switch (status) {
    case 401:
      return [
        `Vigil refused the token of ${context.credential}${problem.reason ? ` (${problem.reason})` : ''}: ${problem.detail ?? 'not signed in'}`,
        ...(problem.reason === 'wrongAudience' || problem.reason === 'tenantNotAllowed'
          ? [
              `The token was asked for ${context.scope}: check --scope (VIGIL_API_SCOPE) and VIGIL_API_AUDIENCE/VIGIL_API_ALLOWED_TENANTS on Vigil.`,
            ]
          : []),
        ...signInHelp,
      ];
    case 403:
      return [
        `${context.credential} may not do this: it lacks the app role ${problem.missingRole ?? '(not named)'} on Vigil's API.`,
        `Ask an administrator to assign ${problem.missingRole ?? 'the role'} to it (docs/api.md, "Setting up Vigil's API in a tenant").`,
      ];
    default:
      return [
        headline,
        ...(problem.errors ?? []).map((e) => `  ${e.field ? `${e.field}: ` : ''}${e.message}`),
        ...extensionLines(problem),
        ...(failure.retryAfter ? [`Try again in ${failure.retryAfter} s.`] : []),
      ];
  }
}

/** The problem's own pointers a person acts on: the rotation in the way, where to look. */
function extensionLines(problem: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (typeof problem['rotationId'] === 'string')
    lines.push(`  rotation: ${problem['rotationId']} (vigil rotation ${problem['rotationId']})`);
  if (typeof problem['heldUntil'] === 'string') lines.push(`  held until ${problem['heldUntil']}`);
  if (typeof problem['advice'] === 'string') lines.push(`  advice: ${problem['advice']}`);
  // 500 internal: the ids whoever runs Vigil finds the failure by in its logs, unless the detail (in the headline) quotes them.
  const invocationId = problem['invocationId'];
  if (typeof invocationId === 'string' && !(typeof problem['detail'] === 'string' && problem['detail'].includes(invocationId)))
    lines.push(
      `  invocation: ${invocationId}${typeof problem['operationId'] === 'string' ? `, operation: ${problem['operationId']}` : ''}`,
    );
  return lines;
}
