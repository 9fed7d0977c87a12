/**
 * Metric names (the seed's, plus the ones its design lacked) and the one recording interface. Locally the values
 * land in a Prometheus registry served on `/metrics`; on AWS as CloudWatch Embedded Metric Format log lines.
 */

export const metricUnits = {
  ProcessingDuration: 'Seconds',
  AgentsInvoked: 'Count',
  SQLQueriesExecuted: 'Count',
  ToolExecutions: 'Count',
  WebhookRequestsAccepted: 'Count',
  WebhookRequestsRejected: 'Count',
  WebhookDeliverySuccess: 'Count',
  WebhookDeliveryFailure: 'Count',
  SlackMessagesProcessed: 'Count',
  MessagesDeadLettered: 'Count',
  /** Damaged journal records copied to a quarantine file at start-up (runtime/queue/journalDamageReport.ts). */
  JournalRecordsQuarantined: 'Count',
  Errors: 'Count',
  /** Share of figures in the answer found in the tool results (0..1); replaces the seed's ResponseQualityScore. */
  AnswerGrounding: 'None',
} as const;

export type MetricName = keyof typeof metricUnits;

/** The seed's dimensions: source (channel or source_system), request_type, agent (the collaborator that answered). */
export interface MetricDimensions {
  source?: string;
  request_type?: string;
  agent?: string;
}

export type MetricValues = Partial<Record<MetricName, number>>;

export interface Metrics {
  /** Values observed together for one event (one processed message, one delivery, one rejected request). */
  emit(values: MetricValues, dimensions?: MetricDimensions): void;
}

export const combineMetrics = (...sinks: Metrics[]): Metrics => ({
  emit: (values, dimensions) => {
    for (const sink of sinks) sink.emit(values, dimensions);
  },
});

export const noMetrics = (): Metrics => ({ emit: () => undefined });
