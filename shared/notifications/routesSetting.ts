import { z } from 'zod';
import { routesConfigSchema } from './routesConfig.js';

/** `VIGIL_ROUTES` as an app setting: JSON text holding the routes, rules and default route. */
export const routesSetting = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"defaultRoute":"ops","routes":{"ops":{"mail":{"to":["ops@contoso.com"]}}},"rules":[]}' });
      return z.NEVER;
    }
  })
  .pipe(routesConfigSchema);
