/**
 * One Secrets Manager secret per secret setting. The value comes from `pulumi config set --secret`; it is written
 * as a secret version and never appears in outputs or Lambda environments (functions get the ARNs). A setting not
 * configured yet still gets its (empty) secret so ARNs are stable, and a warning says how to set it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { SettingSpec } from '../settingsCatalog.ts';

export interface SecretsArgs {
  namePrefix: string;
  specs: SettingSpec[];
  values: Record<string, pulumi.Input<string> | undefined>;
}

export class Secrets extends pulumi.ComponentResource {
  /** Secret ARN by env name. */
  readonly arns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:secrets:Secrets', name, {}, opts);
    for (const spec of args.specs.filter((s) => s.secret)) {
      const child = `${name}-${spec.configKey}`;
      const secret = new aws.secretsmanager.Secret(child, {
        name: `${args.namePrefix}/${spec.env}`,
        description: `${spec.env} for the RevOps runtime (set with pulumi config set --secret revops:${spec.configKey})`,
        recoveryWindowInDays: 7,
      }, { parent: this });
      this.arns[spec.env] = secret.arn;
      const value = args.values[spec.env];
      if (value === undefined) {
        pulumi.log.warn(`revops:${spec.configKey} is not set; functions reading ${spec.env} will fail until you run ` +
          `\`pulumi config set --secret revops:${spec.configKey} <value>\` and \`pulumi up\``, this);
        continue;
      }
      new aws.secretsmanager.SecretVersion(`${child}-value`, {
        secretId: secret.id, secretString: pulumi.secret(value),
      }, { parent: this });
    }
    this.registerOutputs({ arns: this.arns });
  }
}
