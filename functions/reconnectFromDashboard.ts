import { z } from 'zod';
import { dashboardFilterFields, toDashboardLocation } from '../shared/dashboard/dashboardQuery.js';
import { offerSignInLink } from '../shared/signIn/offerSignInLink.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { secretNameSchema } from '../shared/vault/secretNameSchema.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { readDashboardForm } from './readDashboardForm.js';

const fields = z.strictObject({
  name: secretNameSchema,
  vault: z.url({ protocol: /^https?$/ }),
  ...dashboardFilterFields,
});

/**
 * `POST /api/dashboard/reconnect`: the status page's Reconnect button. Makes a sign-in link for the
 * connection's owner now (the same checks and link as `POST /api/connections/{name}/sign-in-link`) and
 * redirects (303) to it, so viewing the page makes no link; when no link can be made, back to the page
 * saying why. Behind the form checks of `readDashboardForm` (Vigil.Rotate, token, origin); audited.
 */
export const reconnectFromDashboard: FunctionDefinition = {
  kind: 'http',
  name: 'reconnectFromDashboard',
  methods: ['POST'],
  // No function key: the status page is opened from links in mail, Teams and Slack, which never carry a key.
  // Vigil's own access check below (App Service Authentication's signed-in user, or a bearer token) guards it.
  authLevel: 'anonymous',
  route: 'dashboard/reconnect',
  async handler(request, _context, runtime) {
    const form = await readDashboardForm(request, runtime, 'reconnect', fields);
    if (form.kind === 'refused') return form.response;
    const { fields: asked, now } = form;
    const ref = { vaultUrl: asked.vault, name: asked.name };
    const offer = runtime.signIn
      ? await offerSignInLink(runtime.signIn.requests, ref, 'statusPage', now)
      : ({ kind: 'none', code: 'signInsOff' } as const);
    await form.audit({
      outcome: offer.kind === 'link' ? 'linkIssued' : offer.code,
      target: toConnectionKey(ref),
      ...(offer.kind === 'link' ? { linkId: offer.linkId } : {}),
    });
    const location =
      offer.kind === 'link'
        ? offer.url
        : toDashboardLocation(request.url, asked, {
            code: offer.code === 'nameTaken' ? 'noLink' : offer.code,
            about: asked.name,
            until: undefined,
          });
    return { status: 303, headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
  },
};
