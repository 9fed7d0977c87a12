/**
 * The conversation store on AWS (runtime/sessions/dynamoBackend.ts): one item per session, partition key
 * `session_key` (S). Each item carries `expires_at` (N, epoch seconds), which the table's TTL deletes after, and a
 * numeric `version` the store's writes are conditioned on; neither is declared here, since DynamoDB takes attribute
 * definitions for key attributes only. On-demand billing: a conversation store is idle most of the day.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Manifest, ManifestChannel } from '../../compiler/manifest.ts';

export const SESSION_KEY_ATTRIBUTE = 'session_key';
export const SESSION_TTL_ATTRIBUTE = 'expires_at';

export interface SessionTableArgs {
  tableName: string;
}

export class SessionTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;

  constructor(name: string, args: SessionTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:storage:SessionTable', name, {}, opts);
    this.table = new aws.dynamodb.Table(`${name}-table`, {
      name: args.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: SESSION_KEY_ATTRIBUTE,
      attributes: [{ name: SESSION_KEY_ATTRIBUTE, type: 'S' }],
      ttl: { attributeName: SESSION_TTL_ATTRIBUTE, enabled: true },
      serverSideEncryption: { enabled: true },
    }, { parent: this });
    this.registerOutputs({ tableName: this.table.name });
  }
}

/**
 * How long a channel's conversations are kept (REVOPS_SESSION_TTL_SECONDS): its entry supervisor's idle session
 * TTL, the time Bedrock Agents keeps a session of the same agent.
 */
export function sessionTtlSeconds(manifest: Manifest, channel: ManifestChannel): number {
  return manifest.agents.find((a) => a.name === channel.entry)?.idleSessionTtlSeconds ?? manifest.defaults.idleSessionTtlSeconds;
}
