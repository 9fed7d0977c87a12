/**
 * The conversation-export bucket (and the webhook status store under its own prefix): private (privateBucket.ts),
 * and a lifecycle that moves old exports to infrequent access and expires them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { privateBucket } from './privateBucket.ts';

export const EXPORT_PREFIX = 'conversation-history/';
export const STATUS_PREFIX = 'webhook-status/';

export interface StorageArgs {
  /** Days before exports move to STANDARD_IA (S3 minimum 30). */
  infrequentAccessAfterDays?: number;
  expireExportsAfterDays?: number;
  /** Webhook status records and idempotency claims: the webhook channel's `status_retention_days`. */
  expireStatusAfterDays?: number;
  /**
   * The processor's answered keys (`done/`): at least as long as any queue keeps a message, or a redelivered one
   * would be answered twice; not tied to the status retention, which may be shorter.
   */
  expireAnsweredKeysAfterDays?: number;
}

export class Storage extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:storage:Storage', name, {}, opts);
    const parent = { parent: this };
    this.bucket = privateBucket(name, `${name}-exports`, parent);
    const bucket = this.bucket.id;
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket,
      rules: [
        {
          id: 'exports', status: 'Enabled', filter: { prefix: EXPORT_PREFIX },
          transitions: [{ days: args.infrequentAccessAfterDays ?? 30, storageClass: 'STANDARD_IA' }],
          expiration: { days: args.expireExportsAfterDays ?? 365 },
        },
        ...['status/', 'claims/'].map((folder) => ({
          id: `webhook-${folder.slice(0, -1)}`, status: 'Enabled', filter: { prefix: `${STATUS_PREFIX}${folder}` },
          expiration: { days: args.expireStatusAfterDays ?? 7 },
        })),
        {
          id: 'answered-keys', status: 'Enabled', filter: { prefix: `${STATUS_PREFIX}done/` },
          expiration: { days: args.expireAnsweredKeysAfterDays ?? 14 },
        },
      ],
    }, parent);
    this.registerOutputs({ bucketName: this.bucket.bucket });
  }

  /** ARN pattern of the objects under `prefix`, for IAM grants. */
  objectsArn(prefix: string): pulumi.Output<string> {
    return pulumi.interpolate`${this.bucket.arn}/${prefix}*`;
  }
}
