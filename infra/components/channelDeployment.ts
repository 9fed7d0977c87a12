/**
 * One channel's functions, the same two for every kind (the runtime composes the channel's parts from REVOPS_CHANNEL):
 * the ingress function that verifies and enqueues on the channel's queue, and the processor function that consumes it (batch size 1, partial batch failures reported so one bad message does not redeliver
 * others), each with memory, timeout and log retention from the channel spec. Both get every channel's queue URL
 * (the runtime builds one SQS queue per channel) but may send to, or consume, only their own (the processor also
 * sends to its dead-letter queue).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { queueUrlVariable, type ManifestChannel } from '../../compiler/manifest.ts';
import type { ChannelQueue } from './channelQueue.ts';
import { type FunctionGrants, RuntimeFunction } from './runtimeFunction.ts';

export interface ChannelFunctionSettings {
  environment: Record<string, pulumi.Input<string>>;
  grants: FunctionGrants;
}

export interface ChannelDeploymentArgs {
  channel: ManifestChannel;
  namePrefix: string;
  bundleDir: string;
  manifestPath: string;
  queue: ChannelQueue;
  /** `REVOPS_QUEUE_URL_<CHANNEL>` for every channel. */
  queueUrls: Record<string, pulumi.Input<string>>;
  ingress: ChannelFunctionSettings;
  processor: ChannelFunctionSettings;
}

export class ChannelDeployment extends pulumi.ComponentResource {
  readonly ingress: RuntimeFunction;
  readonly processor: RuntimeFunction;

  constructor(name: string, args: ChannelDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:channels:ChannelDeployment', name, {}, opts);
    const { channel } = args;
    const physical = `${args.namePrefix}-${channel.name}`;
    const queue = args.queue.queue;
    const common = {
      bundleDir: args.bundleDir, manifestPath: args.manifestPath, logRetentionDays: channel.logRetentionDays,
    };
    this.ingress = new RuntimeFunction(`${name}-ingress`, {
      ...common,
      functionName: `${physical}-ingress`,
      bundle: 'ingress',
      memoryMb: channel.ingress.memoryMb,
      timeoutSeconds: channel.ingress.timeoutSeconds,
      environment: { ...args.ingress.environment, ...args.queueUrls, REVOPS_CHANNEL: channel.name },
      grants: { ...args.ingress.grants, sendToQueues: [queue.arn] },
    }, { parent: this });
    this.processor = new RuntimeFunction(`${name}-processor`, {
      ...common,
      functionName: `${physical}-processor`,
      bundle: 'processor',
      memoryMb: channel.processor.memoryMb,
      timeoutSeconds: channel.processor.timeoutSeconds,
      // The processor recognises the last receive and dead-letters it itself, with its error (runtime/lambda/processor.ts):
      // it needs the redrive's maxReceiveCount, the dead-letter queue and leave to send to it.
      environment: {
        ...args.processor.environment, ...args.queueUrls, REVOPS_CHANNEL: channel.name,
        [`${queueUrlVariable(channel.name)}_DLQ`]: args.queue.deadLetters.url, REVOPS_QUEUE_MAX_RECEIVES: String(args.queue.maxReceives),
      },
      grants: { ...args.processor.grants, consumeQueues: [queue.arn], sendToQueues: [args.queue.deadLetters.arn] },
    }, { parent: this });
    new aws.lambda.EventSourceMapping(`${name}-consume`, {
      eventSourceArn: queue.arn,
      functionName: this.processor.function.arn,
      batchSize: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
    }, { parent: this, dependsOn: [this.processor] });
    this.registerOutputs({ ingressName: this.ingress.function.name, processorName: this.processor.function.name });
  }
}
