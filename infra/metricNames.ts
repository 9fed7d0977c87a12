/**
 * The runtime's CloudWatch metric names (EMF), as the dashboard reads them. infra imports no runtime code, so the
 * names are repeated here once; test/infra/metricNames.test.ts fails when they drift from runtime/metrics.
 */
export const METRIC_NAMESPACE = 'RevOps';

export const DASHBOARD_METRICS = [
  'ProcessingDuration',
  'AgentsInvoked',
  'SQLQueriesExecuted',
  'ToolErrors',
  'WebhookDeliverySuccess',
  'WebhookDeliveryFailure',
] as const;
