import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import { toActor } from '../shared/api/accessAuditEntry.js';
import type { Caller } from '../shared/api/AccessOutcome.js';
import type { AuditEntry } from '../shared/audit/AuditLog.js';
import { toIsoUtc } from '../shared/helpers/toIsoUtc.js';
import { checkFormOrigin } from '../shared/dashboard/checkFormOrigin.js';
import { checkFormToken, type FormAction } from '../shared/dashboard/formToken.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import { authorize } from './authorize.js';
import { invalidBody, problem } from './problem.js';

/** What an accepted form did, for the audit line beside the access decision: its outcome and target. */
export type FormAudit = Pick<AuditEntry, 'outcome' | 'target' | 'linkId'>;

export type DashboardForm<T> =
  | { kind: 'accepted'; caller: Caller; fields: T; now: DateTime; audit(done: FormAudit): Promise<void> }
  | { kind: 'refused'; response: HttpResponseInit };

/** The origins a status-page form may be posted from: the request's own and VIGIL_PUBLIC_BASE_URL's. */
const ownOrigins = (request: HttpRequest, runtime: Runtime) => [
  new URL(request.url).origin,
  ...(runtime.settings.VIGIL_PUBLIC_BASE_URL ? [new URL(runtime.settings.VIGIL_PUBLIC_BASE_URL).origin] : []),
];

/**
 * The checks every status-page form post passes before it changes anything: the caller holds Vigil.Rotate
 * (as the JSON API asks), the post comes from Vigil's own origin, it is a form (415 otherwise), it carries a
 * form token Vigil made for this caller and action within FORM_TOKEN_HOURS (docs/api.md "Status page forms"),
 * and its fields are valid (400 otherwise). Every refusal is a problem answer and an audit line with its
 * status and reason (`authorize` audits its own 401/403); nothing is read from the form before the token passes.
 */
export async function readDashboardForm<T extends z.ZodType>(
  request: HttpRequest,
  runtime: Runtime,
  action: FormAction,
  fields: T,
): Promise<DashboardForm<z.output<T>>> {
  const auth = await authorize(request, runtime, 'Vigil.Rotate');
  if (auth.kind !== 'authorized') return { kind: 'refused', response: auth.response };
  const now = DateTime.utc();
  const line = { at: toIsoUtc(now), actor: toActor(auth.caller), action: `POST ${new URL(request.url).pathname}` };
  const refuse = async (
    outcome: 'forbidden' | 'unsupportedMediaType' | 'invalidBody',
    reason: string,
    response: HttpResponseInit,
  ): Promise<DashboardForm<z.output<T>>> => {
    await runtime.api.audit.record({ ...line, outcome, reason, ...(response.status ? { status: response.status } : {}) });
    return { kind: 'refused', response };
  };
  const forbid = (reason: string, detail: string) => refuse('forbidden', reason, problem('formRefused', detail, { reason }));
  const origin = checkFormOrigin(request.headers, ownOrigins(request, runtime));
  if (origin.kind === 'crossSite')
    return forbid('crossSiteForm', `Vigil takes status-page forms only from its own pages (${origin.detail}).`);
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return refuse(
      'unsupportedMediaType',
      'notAForm',
      problem('unsupportedMediaType', 'Post the status page form (application/x-www-form-urlencoded); programs use the JSON API.', {
        headers: { 'accept-post': 'application/x-www-form-urlencoded' },
      }),
    );
  const form = Object.fromEntries(new URLSearchParams(await request.text()));
  const { token, ...rest } = form;
  const check = checkFormToken(await runtime.api.formKey(), token, action, auth.caller, now);
  if (check.kind !== 'valid')
    return forbid(
      `formToken${check.kind[0]!.toUpperCase()}${check.kind.slice(1)}`,
      check.kind === 'expired'
        ? 'The status page this form came from is too old: reload it and try again.'
        : 'The form carries no valid token from Vigil for you: reload the status page and try again.',
    );
  const parsed = fields.safeParse(rest);
  if (!parsed.success) return refuse('invalidBody', 'invalidFields', invalidBody(parsed.error));
  const audit = (done: FormAudit) => runtime.api.audit.record({ ...line, ...done });
  return { kind: 'accepted', caller: auth.caller, fields: parsed.data, now, audit };
}
