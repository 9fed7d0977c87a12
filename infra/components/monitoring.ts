/**
 * Alarms and the dashboard: any message in a dead-letter queue and any processor error raise an alarm (to an SNS
 * topic operators subscribe to); the dashboard shows the runtime's own metrics next to queue depth and errors.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DASHBOARD_METRICS, METRIC_NAMESPACE } from '../metricNames.ts';

export interface MonitoringArgs {
  dashboardName: string;
  region: pulumi.Input<string>;
  /** Dead-letter queues by channel. */
  deadLetterQueues: Record<string, aws.sqs.Queue>;
  /** Processor functions by channel. */
  processors: Record<string, aws.lambda.Function>;
}

/**
 * The dashboard body: pure, so the widget list is easy to read and test. The runtime emits its metrics with
 * dimensions (source, request_type, agent), so each widget uses a SEARCH expression over every dimension set.
 */
export function dashboardBody(region: string, dlqNames: string[], processorNames: string[]): string {
  const widget = (title: string, metrics: unknown[][], stat: string, index: number) => ({
    type: 'metric', x: (index % 2) * 12, y: Math.floor(index / 2) * 6, width: 12, height: 6,
    properties: { title, region, stat, period: 300, metrics },
  });
  const runtime = Object.entries(DASHBOARD_METRICS).map(([name, stat], i) => widget(name, [[{
    expression: `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${name}"', '${stat}', 300)`, id: `m${i}`,
  }]], stat, i));
  const count = runtime.length;
  return JSON.stringify({
    widgets: [
      ...runtime,
      widget('Dead letters', dlqNames.map((q) => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q]),
        'Maximum', count),
      widget('Processor errors', processorNames.map((f) => ['AWS/Lambda', 'Errors', 'FunctionName', f]), 'Sum', count + 1),
    ],
  });
}

export class Monitoring extends pulumi.ComponentResource {
  readonly alarmTopic: aws.sns.Topic;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:monitoring:Monitoring', name, {}, opts);
    const parent = { parent: this };
    this.alarmTopic = new aws.sns.Topic(`${name}-alarms`, {}, parent);
    const alarm = (child: string, props: Omit<aws.cloudwatch.MetricAlarmArgs, 'comparisonOperator'>) =>
      new aws.cloudwatch.MetricAlarm(child, {
        comparisonOperator: 'GreaterThanThreshold', threshold: 0, evaluationPeriods: 1, period: 60,
        treatMissingData: 'notBreaching', alarmActions: [this.alarmTopic.arn], ...props,
      }, parent);
    for (const [channel, queue] of Object.entries(args.deadLetterQueues)) {
      alarm(`${name}-${channel}-dead-letters`, {
        namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: { QueueName: queue.name },
        alarmDescription: `Messages of channel ${channel} failed 3 times and wait in the dead-letter queue`,
      });
    }
    for (const [channel, fn] of Object.entries(args.processors)) {
      alarm(`${name}-${channel}-processor-errors`, {
        namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', dimensions: { FunctionName: fn.name },
        alarmDescription: `The ${channel} processor function failed`,
      });
    }
    new aws.cloudwatch.Dashboard(`${name}-dashboard`, {
      dashboardName: args.dashboardName,
      dashboardBody: pulumi.all([args.region, Object.values(args.deadLetterQueues).map((q) => q.name),
        Object.values(args.processors).map((f) => f.name)])
        .apply(([region, dlqs, fns]) => dashboardBody(region, dlqs, fns)),
    }, parent);
    this.registerOutputs({ alarmTopicArn: this.alarmTopic.arn });
  }
}
