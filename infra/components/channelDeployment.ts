/**
 * One channel end to end: its queue (with dead letters), the ingress function that verifies and enqueues, the
 * processor function that consumes (batch size 1, partial batch failures reported so one bad message does not
 * redeliver others), each with memory, timeout and log retention from the channel spec.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { ManifestChannel } from '../../compiler/manifest.ts';
import { ChannelQueue } from './channelQueue.ts';
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
  ingress: ChannelFunctionSettings;
  processor: ChannelFunctionSettings;
}

const INGRESS_BUNDLE = { slack: 'slack-ingress', webhook: 'webhook-ingress' } as const;

export class ChannelDeployment extends pulumi.ComponentResource {
  readonly queue: ChannelQueue;
  readonly ingress: RuntimeFunction;
  readonly processor: RuntimeFunction;

  constructor(name: string, args: ChannelDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:channels:ChannelDeployment', name, {}, opts);
    const { channel } = args;
    const physical = `${args.namePrefix}-${channel.name}`;
    this.queue = new ChannelQueue(`${name}-inbound`, {
      queueName: `${physical}-inbound`, channel: channel.name, settings: channel.queue,
      consumerTimeoutSeconds: channel.processor.timeoutSeconds,
    }, { parent: this });
    const common = {
      bundleDir: args.bundleDir, manifestPath: args.manifestPath, logRetentionDays: channel.logRetentionDays,
    };
    this.ingress = new RuntimeFunction(`${name}-ingress`, {
      ...common,
      functionName: `${physical}-ingress`,
      bundle: INGRESS_BUNDLE[channel.kind],
      memoryMb: channel.ingress.memoryMb,
      timeoutSeconds: channel.ingress.timeoutSeconds,
      environment: {
        ...args.ingress.environment, REVOPS_CHANNEL: channel.name,
        // runtime/config.ts reads one REVOPS_QUEUE_URL_<CHANNEL> per channel.
        [`REVOPS_QUEUE_URL_${channel.name.toUpperCase()}`]: this.queue.queue.url,
      },
      grants: { ...args.ingress.grants, sendToQueues: [this.queue.queue.arn] },
    }, { parent: this });
    this.processor = new RuntimeFunction(`${name}-processor`, {
      ...common,
      functionName: `${physical}-processor`,
      bundle: 'processor',
      memoryMb: channel.processor.memoryMb,
      timeoutSeconds: channel.processor.timeoutSeconds,
      environment: { ...args.processor.environment, REVOPS_CHANNEL: channel.name },
      grants: { ...args.processor.grants, consumeQueues: [this.queue.queue.arn] },
    }, { parent: this });
    new aws.lambda.EventSourceMapping(`${name}-consume`, {
      eventSourceArn: this.queue.queue.arn,
      functionName: this.processor.function.arn,
      batchSize: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
    }, { parent: this, dependsOn: [this.processor] });
    this.registerOutputs({ queueUrl: this.queue.queue.url });
  }
}
