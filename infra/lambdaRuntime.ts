/**
 * The Node.js runtime every Lambda function runs on, the esbuild target that matches it, and AWS's deprecation dates
 * for the Node.js runtimes (the "deprecation date" column of the Lambda runtimes page,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). Lambda blocks creating functions on a runtime
 * a few months after that date, so a first `pulumi up` on a deprecated runtime fails; test/infra/lambdaRuntime.test.ts
 * fails as soon as a plan names a runtime whose date has passed, which is the reminder to move to the next one here.
 */
// Types only: `npm run build` imports this file, and loading the provider would cost it seconds.
import type * as aws from '@pulumi/aws';

/** Node 22 (supported to 2027-04-30); the installed provider also offers nodejs24.x. */
export const LAMBDA_NODE_RUNTIME = 'nodejs22.x' satisfies aws.lambda.Runtime;

/** esbuild's target for the same Node major, so the bundles use exactly what that runtime supports. */
export const ESBUILD_NODE_TARGET = `node${LAMBDA_NODE_RUNTIME.replace(/^nodejs(\d+)\.x$/, '$1')}`;

/** Runtime identifier -> the date (UTC) AWS deprecates it. */
export const NODE_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
};

/** True when AWS has deprecated `runtime` on `day`; a Node runtime missing from the table counts as deprecated. */
export function isDeprecatedRuntime(runtime: string, day: Date): boolean {
  const date = NODE_RUNTIME_DEPRECATION[runtime];
  return date === undefined || Date.parse(`${date}T00:00:00Z`) <= day.getTime();
}
