// Vigil's out-of-band path: Azure Monitor alert rules that email people when Vigil itself stops, loses
// its access, parks messages it could not deliver, or keeps failing. They are evaluated by Azure Monitor
// from metrics, so they work when Vigil cannot send anything; docs/deploy.md, "Alerts that do not depend
// on Vigil", says what fires each one and what to do. Metric names: shared/telemetry/vigilMetrics.ts.

param location string
param tags object
@description('Resource id of the Application Insights component Vigil and its host send telemetry to.')
param applicationInsightsId string
param namePrefix string

@description('Who gets the alert mails. Empty: the rules are created with no one to tell, and the deployment says so.')
param alertEmails array

@description('Hours without a completed scan or refresh-planner run before "no run completed" fires.')
@minValue(2)
@maxValue(47)
param noRunAlertHours int = 26

@description('Failed function executions (and HTTP requests failing unexpectedly) in an hour before "executions failing" (and "requests failing unexpectedly") fires.')
@minValue(1)
param failedExecutionsPerHour int = 3

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'vigil'
    enabled: true
    emailReceivers: [
      for email in alertEmails: {
        name: 'email-${uniqueString(email)}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
  }
}

var metricActions = [{ actionGroupId: actionGroup.id, webHookProperties: {} }]

// Absence of data: metric alerts evaluate only series that have data, so a metric that stops arriving
// never breaches a threshold. A log search alert over customMetrics (metrics, which no sampler drops)
// returns one row per producer that has no completed run in the window, including when nothing arrived.
resource noRunCompleted 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-no-run-completed'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Vigil: no scan or refresh run completed for ${noRunAlertHours} hours'
    description: 'Vigil is stopped, its timers do not fire, or its identity lost its access: no tenant was scanned, or no vault listed, for ${noRunAlertHours} hours. See docs/deploy.md, "Alerts that do not depend on Vigil".'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT1H'
    overrideQueryTimeRange: 'P2D'
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: 'let expected = datatable(producer: string) ["scan", "refreshPlanner"];\nlet completed = customMetrics\n  | where timestamp > ago(${noRunAlertHours}h)\n  | where name == "vigil.runs" and tostring(customDimensions.outcome) == "completed"\n  | summarize runs = sum(valueSum) by producer = tostring(customDimensions.producer);\nexpected\n  | join kind=leftouter completed on producer\n  | where isnull(runs) or runs == 0\n  | project producer'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [{ name: 'producer', operator: 'Include', values: ['*'] }]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}

resource poisonQueues 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-poison-queues'
  location: 'global'
  tags: tags
  properties: {
    description: 'A message Vigil gave up on waits in a poison queue (vigil-outbox-poison and the other -poison queues): a notice may not have reached anyone.'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'poisoned'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'vigil.queue.poisoned'
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: 0
          skipMetricValidation: true
        }
      ]
    }
    actions: metricActions
  }
}

resource identityDenied 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-identity-denied'
  location: 'global'
  tags: tags
  properties: {
    description: 'Microsoft Graph, Key Vault or Storage refused Vigil\'s own identity (401/403): a role or Graph permission was removed.'
    severity: 1
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'denied'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'vigil.identity.denied'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          skipMetricValidation: true
        }
      ]
    }
    actions: metricActions
  }
}

// `requests` are the host's record of each execution; standard metrics are aggregated before sampling,
// and host.json keeps requests out of sampling besides.
resource executionsFailing 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-executions-failing'
  location: 'global'
  tags: tags
  properties: {
    description: 'More than ${failedExecutionsPerHour} of Vigil\'s function executions failed within an hour.'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: failedExecutionsPerHour
        }
      ]
    }
    actions: metricActions
  }
}

// An HTTP handler that throws is answered with a 500 problem, and the host then records its invocation as a
// success (azure-functions-host#6511): `requests/failed` never counts it, so Vigil counts it itself.
resource requestsFailingUnexpectedly 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-requests-failing-unexpectedly'
  location: 'global'
  tags: tags
  properties: {
    description: 'More than ${failedExecutionsPerHour} of Vigil\'s HTTP requests failed unexpectedly (500 internal) within an hour.'
    severity: 2
    enabled: true
    scopes: [applicationInsightsId]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'unexpected'
          metricNamespace: 'azure.applicationinsights'
          metricName: 'vigil.http.unexpected'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: failedExecutionsPerHour
          skipMetricValidation: true
        }
      ]
    }
    actions: metricActions
  }
}

output actionGroupId string = actionGroup.id
output ruleNames array = [
  noRunCompleted.name
  poisonQueues.name
  identityDenied.name
  executionsFailing.name
  requestsFailingUnexpectedly.name
]
