/**
 * A channel's work queue with its dead-letter queue. The visibility timeout must be at least 6 x the consuming
 * function's timeout (AWS guidance for SQS event sources; the seed's 300 s queue with a 300 s processor broke it),
 * checked here again at deploy time in case the manifest was edited by hand.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { QueueSettings } from '../../compiler/manifest.ts';
import { InfraError } from '../infraError.ts';

/** Throws when `queue` would let a message reappear while its consumer still runs. */
export function assertVisibilityCoversConsumer(channel: string, queue: QueueSettings, consumerTimeoutSeconds: number): void {
  if (queue.visibilityTimeoutSeconds < 6 * consumerTimeoutSeconds) {
    throw new InfraError('RV_INFRA_VISIBILITY', `channel '${channel}' queue visibility timeout ` +
      `${queue.visibilityTimeoutSeconds}s is below 6 x processor timeout ${consumerTimeoutSeconds}s; raise ` +
      `queue.visibility_timeout_s to at least ${6 * consumerTimeoutSeconds} in the channel spec`);
  }
}

export interface ChannelQueueArgs {
  /** Physical queue name (the DLQ gets `-dlq`). */
  queueName: string;
  channel: string;
  settings: QueueSettings;
  consumerTimeoutSeconds: number;
}

/** SQS allows at most 14 days of retention. */
const MAX_RETENTION_SECONDS = 1_209_600;

export class ChannelQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetters: aws.sqs.Queue;
  /** The redrive policy's maxReceiveCount, which the consumer is told (REVOPS_QUEUE_MAX_RECEIVES). */
  readonly maxReceives: number;

  constructor(name: string, args: ChannelQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:queues:ChannelQueue', name, {}, opts);
    assertVisibilityCoversConsumer(args.channel, args.settings, args.consumerTimeoutSeconds);
    const retention = Math.min(args.settings.retentionSeconds, MAX_RETENTION_SECONDS);
    this.maxReceives = args.settings.maxReceives;
    this.deadLetters = new aws.sqs.Queue(`${name}-dlq`, {
      name: `${args.queueName}-dlq`, messageRetentionSeconds: MAX_RETENTION_SECONDS, sqsManagedSseEnabled: true,
    }, { parent: this });
    this.queue = new aws.sqs.Queue(`${name}-queue`, {
      name: args.queueName,
      visibilityTimeoutSeconds: args.settings.visibilityTimeoutSeconds,
      messageRetentionSeconds: retention,
      sqsManagedSseEnabled: true,
      redrivePolicy: pulumi.jsonStringify({
        deadLetterTargetArn: this.deadLetters.arn, maxReceiveCount: this.maxReceives,
      }),
    }, { parent: this });
    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetters.url });
  }
}
