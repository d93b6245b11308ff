import type { TokenCredential } from '@azure/identity';
import { AzureMonitorLogExporter, AzureMonitorMetricExporter, AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import type { TelemetryExporters } from './createOpenTelemetry.js';

/**
 * Exporters to the Application Insights component the deployment created. Its local (key) authentication
 * is off, so every export carries an Entra token of Vigil's identity (Monitoring Metrics Publisher on the
 * component): the exporter does not read `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` as the host does.
 */
export function azureMonitorExporters(connectionString: string, credential: TokenCredential): TelemetryExporters {
  const options = { connectionString, credential };
  return {
    metrics: new AzureMonitorMetricExporter(options),
    spans: new AzureMonitorTraceExporter(options),
    logs: new AzureMonitorLogExporter(options),
  };
}
