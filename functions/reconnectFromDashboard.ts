import { z } from 'zod';
import { dashboardFilterFields, toDashboardLocation } from '../shared/dashboard/dashboardQuery.js';
import { offerSignInLink } from '../shared/signIn/offerSignInLink.js';
import { toConnectionKey } from '../shared/tokens/Connection.js';
import { secretNameSchema } from '../shared/vault/secretNameSchema.js';
import { dashboardFormFunction } from './dashboardFormFunction.js';

const fields = z.strictObject({
  name: secretNameSchema,
  vault: z.url({ protocol: /^https?$/ }),
  ...dashboardFilterFields,
});

/**
 * `POST /api/dashboard/reconnect`: the status page's Reconnect button. Makes a sign-in link for the
 * connection's owner now (the same checks and link as `POST /api/connections/{name}/sign-in-link`) and
 * redirects (303) to it, so viewing the page makes no link; when no link can be made, back to the page
 * saying why. Behind the form checks (Vigil.Rotate, token, origin); audited.
 */
export const reconnectFromDashboard = dashboardFormFunction({
  name: 'reconnectFromDashboard',
  action: 'reconnect',
  fields,
  async act({ fields: asked, now }, request, runtime) {
    const ref = { vaultUrl: asked.vault, name: asked.name };
    const offer = runtime.signIn
      ? await offerSignInLink(runtime.signIn.requests, ref, 'statusPage', now)
      : ({ kind: 'none', code: 'signInsOff' } as const);
    const audit = {
      outcome: offer.kind === 'link' ? 'linkIssued' : offer.code,
      target: toConnectionKey(ref),
      ...(offer.kind === 'link' ? { linkId: offer.linkId } : {}),
    };
    if (offer.kind === 'link') return { location: offer.url, audit };
    const notice = { code: offer.code === 'nameTaken' ? 'noLink' : offer.code, about: asked.name, until: undefined } as const;
    return { location: toDashboardLocation(request.url, asked, notice), audit };
  },
});
