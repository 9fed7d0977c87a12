/**
 * An S3 bucket no one outside the account can read: public access blocked, ACLs disabled (objects owned by the
 * bucket owner), encrypted with KMS by default. Every bucket the program creates is one.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

/** Creates `bucketName` (logical) and its guards, named `<name>-public-access`, `-ownership`, `-encryption`. */
export function privateBucket(name: string, bucketName: string, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket(bucketName, { forceDestroy: false }, opts);
  new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
    bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' },
  }, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
    bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' }, bucketKeyEnabled: true }],
  }, opts);
  return bucket;
}
