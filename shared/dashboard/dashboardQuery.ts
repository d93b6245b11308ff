import { z } from 'zod';
import { severities } from '../events/vigilEvent.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';
import { formNoticeCodes, type FormNotice } from './FormNotice.js';

/**
 * The page's filters, as its query string and its forms' hidden fields carry them ('' is the page's own "any"
 * choice): the one declaration `dashboardQuerySchema` and both forms' fields use.
 */
export const dashboardFilterFields = {
  tenant: z
    .union([z.uuid(), z.literal('')])
    .optional()
    .describe('Only this tenant.'),
  severity: z
    .union([z.enum(severities), z.literal('')])
    .optional()
    .describe('Show credentials of at least this severity.'),
};

/** What a form did (`notice`), about which finding or connection (`about`), and until when (`until`, a day). */
export const formNoticeFields = {
  notice: z.enum(formNoticeCodes).optional(),
  // A finding id (f-…) or a connection's secret name: both within what a Key Vault secret name allows.
  about: secretNameSchema.optional(),
  until: z.iso.date().optional(),
};

/**
 * Where a form post sends the browser back (303): the status page with the same filters and the notice,
 * scrolled to it. Path-absolute, from the post's own path (`…/dashboard/snooze` → `…/dashboard`).
 */
export function toDashboardLocation(
  postUrl: string,
  filters: { tenant?: string | undefined; severity?: string | undefined },
  notice: FormNotice,
): string {
  const query = new URLSearchParams({
    ...(filters.tenant ? { tenant: filters.tenant } : {}),
    ...(filters.severity ? { severity: filters.severity } : {}),
    notice: notice.code,
    ...(notice.about ? { about: notice.about } : {}),
    ...(notice.until ? { until: notice.until } : {}),
  });
  return `${new URL('../dashboard', postUrl).pathname}?${query.toString()}#notice`;
}
