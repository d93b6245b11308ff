import { z } from 'zod';
import { problemErrorSchema } from '../shared/api/problemTypes.js';

/** An RFC 9457 problem as Vigil answers it (functions/problem.ts), with the extensions the CLI explains. */
export const problemSchema = z.looseObject({
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  /** 401: why the token was refused (functions/authorize.ts). */
  reason: z.string().optional(),
  /** 403: the app role the caller lacks. */
  missingRole: z.string().optional(),
  /** 400/422: each thing wrong, naming the body field, query or path parameter or header at fault. */
  errors: z.array(problemErrorSchema).optional(),
});
export type Problem = z.output<typeof problemSchema>;

/** What went wrong with one call, as a value: the caller decides what the person reads. */
export type ApiFailure =
  /** No token could be had: `credential` names the way(s) sign-in was tried. */
  | { kind: 'signInFailed'; credential: string; message: string }
  /** No answer from `url` (refused, DNS, TLS, timeout). */
  | { kind: 'unreachable'; url: string; message: string }
  /** fetch would not send the request to `url` (a function key with a line break): the CLI's input, named by the error's class. */
  | { kind: 'requestNotMade'; url: string; errorName: string }
  /** Vigil answered with an error status; `problem` is its problem document, or one made from the status. */
  | { kind: 'problem'; method: string; url: string; status: number; problem: Problem; retryAfter: string | undefined; body: unknown }
  /** A `nextLink` that leaves Vigil's origin: the token is not sent there. */
  | { kind: 'foreignLink'; url: string };

export type ApiOutcome = { kind: 'ok'; status: number; body: unknown; location: string | undefined } | ApiFailure;
