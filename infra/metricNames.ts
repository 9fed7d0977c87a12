/**
 * The runtime's CloudWatch metrics (Embedded Metric Format, namespace and names from runtime/metrics/metrics.ts) as
 * the dashboard reads them. infra imports no runtime code, so the names are repeated here once;
 * test/infra/metricNames.test.ts fails when they drift.
 */
export const METRIC_NAMESPACE = 'RevOps';

/** name -> how the dashboard aggregates it across dimension sets (source, request_type, agent). */
export const DASHBOARD_METRICS = {
  ProcessingDuration: 'p90',
  AgentsInvoked: 'Sum',
  SQLQueriesExecuted: 'Sum',
  ToolExecutions: 'Sum',
  WebhookRequestsAccepted: 'Sum',
  WebhookRequestsRejected: 'Sum',
  WebhookDeliverySuccess: 'Sum',
  WebhookDeliveryFailure: 'Sum',
  SlackMessagesProcessed: 'Sum',
  MessagesDeadLettered: 'Sum',
  JournalRecordsQuarantined: 'Sum',
  Errors: 'Sum',
  AnswerGrounding: 'Average',
} as const;
