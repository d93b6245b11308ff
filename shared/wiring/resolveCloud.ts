import { cloudEndpoints, type CloudEndpoints, type CloudName } from '../cloud/cloudEndpoints.js';
import type { Settings } from '../settings/settingsSchema.js';

/** A cloud's endpoints with the settings' overrides applied; `overridden` marks hosts the public cloud does not know. */
export function resolveCloud(settings: Settings, cloud: CloudName): CloudEndpoints & { overridden: boolean } {
  const override = settings.VIGIL_CLOUD_ENDPOINTS?.[cloud];
  return override ? { ...cloudEndpoints[cloud], ...override, overridden: true } : { ...cloudEndpoints[cloud], overridden: false };
}
