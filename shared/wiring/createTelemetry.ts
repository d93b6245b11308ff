import type { TokenCredential } from '@azure/identity';
import { azureMonitorExporters } from '../adapters/telemetry/azureMonitorExporters.js';
import { createOpenTelemetry, type TelemetryExporters } from '../adapters/telemetry/createOpenTelemetry.js';
import type { Settings } from '../settings/settingsSchema.js';
import { noTelemetry, type Telemetry } from '../telemetry/Telemetry.js';

/**
 * Vigil's telemetry: to the given exporters (the dev host and tests collect in memory), else to
 * Application Insights when the deployment names one, else nowhere.
 */
export function createTelemetry(settings: Settings, credential: TokenCredential, exporters?: TelemetryExporters): Telemetry {
  if (exporters) return createOpenTelemetry(exporters);
  const connectionString = settings.APPLICATIONINSIGHTS_CONNECTION_STRING;
  return connectionString ? createOpenTelemetry(azureMonitorExporters(connectionString, credential)) : noTelemetry;
}
