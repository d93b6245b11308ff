import { jsonSetting } from '../settings/jsonSetting.js';
import { routesConfigSchema } from './routesConfig.js';

/** `VIGIL_ROUTES` as an app setting: JSON text holding the routes, rules and default route. */
export const routesSetting = jsonSetting(
  routesConfigSchema,
  '{"defaultRoute":"ops","routes":{"ops":{"mail":{"to":["ops@contoso.com"]}}},"rules":[]}',
);
