import { describe, expect, it } from 'vitest';
import { logMetricRecorder, toMetricLine } from '../../../shared/telemetry/toMetricLine.js';

const tenantId = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';

describe('toMetricLine', () => {
  it('writes the prefix and flat JSON the dashboard queries parse', () => {
    expect(toMetricLine({ name: 'findings', value: 3, dimensions: { severity: 'high', tenantId } })).toBe(
      `vigil.metric {"metric":"findings","value":3,"severity":"high","tenantId":"${tenantId}"}`,
    );
    expect(toMetricLine({ name: 'minDaysLeft', value: -2, dimensions: { credential: 'clientSecret' } })).toBe(
      'vigil.metric {"metric":"minDaysLeft","value":-2,"credential":"clientSecret"}',
    );
  });

  it.each([
    ['a refresh token', '0.AXkA8Jd2c1-very-long-refresh-token-value'],
    ['a client secret', 'abC8Q~x_secretValue.1234'],
    ['a URL', 'https://contoso.vault.azure.net/secrets/cerb'],
    ['free text', 'AADSTS70008: The refresh token has expired'],
    ['a long word', 'a'.repeat(40)],
  ])('never carries %s in a dimension', (_, value) => {
    const line = toMetricLine({ name: 'refreshDurationMs', value: 120, dimensions: { outcome: value } });
    expect(line).toBe('vigil.metric {"metric":"refreshDurationMs","value":120,"outcome":"redacted"}');
  });

  it('keeps a value that is not a finite number out of the line', () => {
    expect(toMetricLine({ name: 'connections', value: Number.NaN, dimensions: { status: 'healthy' } })).toContain('"value":null');
  });

  it('records through the log function it is given', () => {
    const lines: string[] = [];
    logMetricRecorder((line) => lines.push(line)).record({
      name: 'deliveries',
      value: 1,
      dimensions: { channel: 'teams', outcome: 'delivered' },
    });
    expect(lines).toEqual(['vigil.metric {"metric":"deliveries","value":1,"channel":"teams","outcome":"delivered"}']);
  });
});
