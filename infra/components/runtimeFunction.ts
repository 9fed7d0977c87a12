/**
 * One Lambda function from a bundle in `dist/lambda`: its execution role (least privilege, from
 * `functionRolePolicy`), an explicit log group `/aws/lambda/<name>` with retention (created before the function so
 * Lambda never creates an unbounded one), and the function itself with the manifest shipped next to the bundle.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { join } from 'node:path';
import { LAMBDA_NODE_RUNTIME } from '../lambdaRuntime.ts';
import { type FunctionAccess, functionRolePolicy, serviceTrustPolicy } from '../policies/documents.ts';

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653];

/** The smallest accepted retention that keeps logs at least `days`. */
export function logRetentionFor(days: number): number {
  return RETENTION_DAYS.find((d) => d >= days) ?? RETENTION_DAYS[RETENTION_DAYS.length - 1]!;
}

export type FunctionGrants = {
  [K in Exclude<keyof FunctionAccess, 'logGroupArn'>]?: pulumi.Input<pulumi.Input<string>[]>;
};

export interface RuntimeFunctionArgs {
  functionName: string;
  /** Bundle name in dist/lambda (`processor` -> the folder dist/lambda/processor/, entry index.mjs). */
  bundle: string;
  /** Absolute paths of the bundle folder and the compiled manifest. */
  bundleDir: string;
  manifestPath: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
  environment: Record<string, pulumi.Input<string>>;
  grants: FunctionGrants;
}

export class RuntimeFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: RuntimeFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:functions:RuntimeFunction', name, {}, opts);
    const parent = { parent: this };
    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      name: `/aws/lambda/${args.functionName}`, retentionInDays: logRetentionFor(args.logRetentionDays),
    }, parent);
    const role = new aws.iam.Role(`${name}-role`, {
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy('lambda.amazonaws.com')),
    }, parent);
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      policy: pulumi.all([this.logGroup.arn, pulumi.output(args.grants)]).apply(([logGroupArn, grants]) =>
        JSON.stringify(functionRolePolicy({ ...grants, logGroupArn }))),
    }, parent);
    this.function = new aws.lambda.Function(`${name}-function`, {
      name: args.functionName,
      role: role.arn,
      runtime: LAMBDA_NODE_RUNTIME,
      // arm64: cheaper per GB-second and our bundles are pure JavaScript (no native modules ship to Lambda).
      architectures: ['arm64'],
      // The bundle folder (index.mjs, the chunks it imports on demand, source maps) ships as `function/`.
      handler: 'function/index.handler',
      code: new pulumi.asset.AssetArchive({
        function: new pulumi.asset.FileArchive(join(args.bundleDir, args.bundle)),
        'manifest.json': new pulumi.asset.FileAsset(args.manifestPath),
      }),
      memorySize: args.memoryMb,
      timeout: args.timeoutSeconds,
      environment: {
        variables: { NODE_OPTIONS: '--enable-source-maps', REVOPS_MANIFEST: 'manifest.json', ...args.environment },
      },
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
    }, { parent: this, dependsOn: [this.logGroup, policy] });
    this.registerOutputs({ functionName: this.function.name, functionArn: this.function.arn });
  }
}
