import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../../../cli/ApiOutcome.js';
import { describeFailure } from '../../../cli/format/describeFailure.js';

const context = { credential: 'the Azure CLI (`az login`)', scope: 'api://vigil/.default' };
const problem = (status: number, body: Record<string, unknown>, retryAfter?: string): ApiFailure => ({
  kind: 'problem',
  method: 'POST',
  url: 'https://vigil.example/api/rotations',
  status,
  problem: body,
  retryAfter,
  body,
});

describe('describeFailure', () => {
  it('401: which identity was refused, why, and the ways to sign in', () => {
    const lines = describeFailure(problem(401, { title: 'Unauthenticated', detail: 'The token has expired.', reason: 'expired' }), context);
    expect(lines[0]).toBe('Vigil refused the token of the Azure CLI (`az login`) (expired): The token has expired.');
    expect(lines).toContain('  az login, then --auth cli (your account needs a Vigil app role)');
    const audience = describeFailure(problem(401, { detail: "The token is not for Vigil's API.", reason: 'wrongAudience' }), context);
    expect(audience[1]).toContain('The token was asked for api://vigil/.default: check --scope');
  });

  it('403: the missing app role and who can grant it', () => {
    expect(describeFailure(problem(403, { title: 'Forbidden', missingRole: 'Vigil.Rotate' }), context)).toEqual([
      "the Azure CLI (`az login`) may not do this: it lacks the app role Vigil.Rotate on Vigil's API.",
      `Ask an administrator to assign Vigil.Rotate to it (docs/api.md, "Setting up Vigil's API in a tenant").`,
    ]);
  });

  it('409 and 422: the problem’s title and detail, each error, and the pointers it carries', () => {
    expect(
      describeFailure(
        problem(422, {
          title: 'Cannot rotate',
          detail: 'vaultSecretName: no such secret',
          errors: [{ field: 'vaultSecretName', message: 'no such secret' }],
        }),
        context,
      ),
    ).toEqual([
      'Vigil answered 422 to POST https://vigil.example/api/rotations — Cannot rotate: vaultSecretName: no such secret',
      '  vaultSecretName: no such secret',
    ]);
    expect(describeFailure(problem(409, { title: 'Rotation in flight', rotationId: 'rot-1' }), context)).toEqual([
      'Vigil answered 409 to POST https://vigil.example/api/rotations — Rotation in flight',
      '  rotation: rot-1 (vigil rotation rot-1)',
    ]);
    expect(
      describeFailure(problem(400, { errors: [{ field: '$skipToken', message: 'not ours' }, { message: 'and more' }] }), context).slice(1),
    ).toEqual(['  $skipToken: not ours', '  and more']);
    expect(describeFailure(problem(500, { title: 'Internal error', invocationId: 'inv-1', operationId: '4bf92f35' }), context).at(-1)).toBe(
      '  invocation: inv-1, operation: 4bf92f35',
    );
    // Vigil's own 500 quotes the ids in its detail: they are shown once, in the headline.
    const detail =
      'Vigil failed unexpectedly and did not finish this request. Quote invocation inv-1 (operation 4bf92f35) to whoever runs Vigil.';
    const internal = describeFailure(
      problem(500, { title: 'Internal error', detail, invocationId: 'inv-1', operationId: '4bf92f35' }),
      context,
    );
    expect(internal).toEqual([`Vigil answered 500 to POST https://vigil.example/api/rotations — Internal error: ${detail}`]);
    expect(describeFailure(problem(503, { title: 'Cannot plan now' }, '30'), context).at(-1)).toBe('Try again in 30 s.');
  });

  it('names its own input, not Vigil, for a request it could not make', () => {
    expect(describeFailure({ kind: 'requestNotMade', url: 'https://vigil.example/api/health', errorName: 'TypeError' }, context)).toEqual([
      'The CLI could not make its request to https://vigil.example/api/health (TypeError): check --function-key (or VIGIL_FUNCTION_KEY) and --url (or VIGIL_URL).',
    ]);
  });

  it('names the URL it could not reach, and the credential it could not sign in with', () => {
    const failed = { kind: 'unreachable', url: 'https://vigil.example/api/health', message: 'the connection failed (ENOTFOUND)' } as const;
    expect(describeFailure(failed, context)[0]).toBe(
      'Could not reach Vigil at https://vigil.example/api/health: the connection failed (ENOTFOUND)',
    );
    expect(
      describeFailure({ kind: 'signInFailed', credential: 'the Azure CLI (`az login`)', message: 'Please run az login' }, context)[0],
    ).toBe('Could not sign in with the Azure CLI (`az login`) for api://vigil/.default: Please run az login');
  });
});
