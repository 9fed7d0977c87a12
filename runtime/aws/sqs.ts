/**
 * The SQS client, re-exported by name so that loading it on first use (`import()`) keeps just the client in a
 * bundle instead of every SQS command (see s3.ts); the queue adapter imports the commands it sends statically.
 */
export { SQSClient } from '@aws-sdk/client-sqs';
