/**
 * The S3 operations the runtime sends, re-exported by name. Code that loads S3 on first use imports this module,
 * never `@aws-sdk/client-s3` itself: a bundler must keep every export of a module reached through `import()` (the
 * namespace object holds them all), which for S3 is every command of the service and tens of milliseconds of every
 * Lambda cold start that loads it (issue 6).
 */
export { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
