import { ExportResultCode } from '@opentelemetry/core';
import { describe, expect, it } from 'vitest';
import { benchTelemetryExporters, withBenchTelemetry } from '../../bench/benchTelemetry.js';
import { createOpenTelemetry } from '../../shared/adapters/telemetry/createOpenTelemetry.js';

describe("the benches' telemetry option", () => {
  it('runs Vigil with no telemetry unless VIGIL_BENCH_TELEMETRY is 1', () => {
    expect(benchTelemetryExporters({})).toBeUndefined();
    expect(benchTelemetryExporters({ VIGIL_BENCH_TELEMETRY: '0' })).toBeUndefined();
    expect(withBenchTelemetry({})).toEqual({});
  });

  it("with it, the production pipeline's spans, logs and metrics are exported and dropped", async () => {
    const exporters = benchTelemetryExporters({ VIGIL_BENCH_TELEMETRY: '1' });
    expect(exporters).toBeDefined();
    const results: number[] = [];
    const spans = exporters!.spans;
    const exported = spans.export.bind(spans);
    spans.export = (batch, callback) => exported(batch, (r) => (results.push(batch.length), callback(r)));
    const telemetry = createOpenTelemetry(exporters!);
    await telemetry.run(undefined, async () => {
      telemetry.recordFailure('GET /api/findings', 'bench');
      telemetry.log('info', 'tenant scanned', { tenantId: 't' });
    });
    await telemetry.shutdown();
    expect(results.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    let code: number | undefined;
    exporters!.logs.export([], (r) => (code = r.code));
    expect(code).toBe(ExportResultCode.SUCCESS);
  });
});
