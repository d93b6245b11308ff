import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { vigilMetrics } from '../../shared/telemetry/vigilMetrics.js';
import { mainParameters, projectRoot } from './readSettingLists.js';

// The out-of-band alerts (infra/app/alerts.bicep) checked for what makes them fire: each rule reads a
// metric Vigil really emits under that name, reads it from the store that suits it, and goes to the
// action group. Azure Monitor's own evaluation is only exercised by the first deployment (docs/deploy.md).

const alerts = readFileSync(path.join(projectRoot, 'infra/app/alerts.bicep'), 'utf8');
const main = readFileSync(path.join(projectRoot, 'infra/main.bicep'), 'utf8');
const functionsSource = readdirSync(path.join(projectRoot, 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(path.join(projectRoot, 'functions', f), 'utf8'))
  .join('\n');
const catalogNames = Object.values(vigilMetrics).map((m) => m.name);
/** The body of one `resource name '…' = { … }` block, up to the next top-level resource or output. */
const resource = (name: string) => {
  const start = alerts.indexOf(`resource ${name} '`);
  expect(start, `alerts.bicep declares ${name}`).toBeGreaterThanOrEqual(0);
  const next = alerts.slice(start + 1).search(/^(resource|output) /m);
  return alerts.slice(start, next < 0 ? undefined : start + 1 + next);
};

describe('alert rules that do not depend on Vigil', () => {
  it('fires "no run completed" from a log search rule, which sees the absence of data that a metric rule skips', () => {
    const rule = resource('noRunCompleted');
    expect(rule).toContain("'Microsoft.Insights/scheduledQueryRules@");
    expect(rule).toMatch(/query: '.*customMetrics/);
    expect(rule).toMatch(/timestamp > ago\(\$\{noRunAlertHours\}h\)/);
    // The query window must cover the longest allowed silence.
    const maxHours = Number(/@maxValue\((\d+)\)\nparam noRunAlertHours/.exec(alerts)?.[1]);
    expect(Number(/overrideQueryTimeRange: 'P(\d+)D'/.exec(rule)?.[1]) * 24).toBeGreaterThan(maxHours);
    // It looks for rows of producers without a completed run, so nothing arriving at all fires it too.
    expect(rule).toMatch(/join kind=leftouter/);
    expect(rule).toMatch(/operator: 'GreaterThan'\s+threshold: 0/);
  });

  it('counts only completed runs of producers that report them', () => {
    const query = /query: '(.*)'/.exec(resource('noRunCompleted'))?.[1] ?? '';
    expect(query).toContain(`name == "${vigilMetrics.runs.name}"`);
    const producers = [...(/datatable\(producer: string\) \[([^\]]*)\]/.exec(query)?.[1] ?? '').matchAll(/"(\w+)"/g)].map(([, p]) => p);
    expect(producers).toEqual(['scan', 'refreshPlanner']);
    for (const producer of producers)
      expect(functionsSource).toMatch(new RegExp(`reportRun\\(runtime, '${producer}', (listed \\? )?'completed'`));
    for (const dimension of ['producer', 'outcome']) expect(vigilMetrics.runs.dimensions).toContain(dimension);
  });

  it('reads custom metrics that Vigil emits, without needing their dimensions in the metric store', () => {
    const custom = [...alerts.matchAll(/metricNamespace: 'azure\.applicationinsights'\s+metricName: '([^']+)'/g)].map(([, n]) => n);
    expect(custom.sort()).toEqual(
      [vigilMetrics.identityDenied.name, vigilMetrics.poisonDepth.name, vigilMetrics.unexpectedFailures.name].sort(),
    );
    for (const name of custom) expect(catalogNames).toContain(name);
    // A custom metric exists only once emitted: without this the first deployment fails validation.
    expect([...alerts.matchAll(/skipMetricValidation: true/g)]).toHaveLength(custom.length);
    expect(alerts).not.toMatch(/dimensions: \[\{ name: '(queue|service)'/);
  });

  it("alerts on failing executions from the host's own request metric", () => {
    expect(resource('executionsFailing')).toMatch(/metricNamespace: 'microsoft.insights\/components'\s+metricName: 'requests\/failed'/);
  });

  it('alerts on HTTP requests answered 500 internal, which the host counts as successful executions', () => {
    expect(resource('requestsFailingUnexpectedly')).toMatch(
      new RegExp(`metricName: '${vigilMetrics.unexpectedFailures.name.replaceAll('.', '\\.')}'\\s+timeAggregation: 'Total'`),
    );
    expect(functionsSource).toMatch(/telemetry\.count\('unexpectedFailures'/);
  });

  it('sends every rule to the action group, which mails the recipients the deployment names', () => {
    for (const name of ['noRunCompleted', 'poisonQueues', 'identityDenied', 'executionsFailing', 'requestsFailingUnexpectedly'])
      expect(resource(name)).toMatch(/actionGroup(s: \[actionGroup\.id\]|Id: actionGroup\.id)|metricActions/);
    expect(alerts).toMatch(/var metricActions = \[\{ actionGroupId: actionGroup\.id/);
    expect(resource('actionGroup')).toMatch(/for email in alertEmails/);
    expect(main).toMatch(/alertEmails: alertEmails/);
    expect(mainParameters().get('alertEmails')).toBe('${VIGIL_ALERT_EMAILS=[]}');
    expect(mainParameters().get('noRunAlertHours')).toBe('${VIGIL_NO_RUN_ALERT_HOURS=26}');
  });

  it('keeps ingestion sampling off, so no run, refusal or failure is dropped before the rules see it', () => {
    expect(main).toMatch(/samplingPercentage: 100/);
  });
});
