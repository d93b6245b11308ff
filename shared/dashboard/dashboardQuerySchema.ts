import { z } from 'zod';
import { dashboardFilterFields, formNoticeFields } from './dashboardQuery.js';

/** The query of `GET /api/dashboard` (empty values are the page's own "any" choices); also its OpenAPI parameters. */
export const dashboardQuerySchema = z.strictObject({
  ...dashboardFilterFields,
  format: z.enum(['html', 'csv']).default('html').describe('html for a person, csv for a spreadsheet.'),
  /** What a status-page form just did, shown as a fixed sentence (set by the form's redirect, never by a person). */
  ...formNoticeFields,
});
