/**
 * Which stack settings each function receives, in one table. Secrets are set with
 * `pulumi config set --secret revops:<configKey>` and land in Secrets Manager; a function gets only the ARNs of the
 * secrets its role uses (env `REVOPS_SECRET_ARNS`, a JSON map env name -> ARN), never the values. Plain settings
 * (Firebolt account, database, engine) are ordinary config and become environment variables.
 */
import type { Manifest } from '../compiler/manifest.ts';
import { CHANNEL_INFRA, type ChannelFunction, type ChannelKindName } from './channelKinds.ts';

/**
 * Who needs a setting: a channel kind's ingress or processor functions (channelKinds.ts), or `tools`, wherever tools
 * run: the tool executor (bedrock-agents) or the processors.
 */
export type SettingUser = `${ChannelKindName}-${ChannelFunction}` | 'tools';

export interface SettingSpec {
  /** Environment variable name the runtime reads. */
  env: string;
  /** `revops:<configKey>` in the stack config: the env name in camelCase. */
  configKey: string;
  secret: boolean;
  usedBy: SettingUser[];
}

/** SLACK_BOT_TOKEN -> slackBotToken. */
export const configKeyFor = (env: string): string =>
  env.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const spec = (env: string, secret: boolean, usedBy: SettingUser[]): SettingSpec =>
  ({ env, configKey: configKeyFor(env), secret, usedBy });

/** Every setting the manifest's channels and tools need, sorted by env name, each listed once. */
export function settingsCatalog(manifest: Manifest): SettingSpec[] {
  const specs: SettingSpec[] = [
    spec('FIREBOLT_CLIENT_ID', true, ['tools']),
    spec('FIREBOLT_CLIENT_SECRET', true, ['tools']),
    spec('FIREBOLT_ACCOUNT', false, ['tools']),
    spec('FIREBOLT_DATABASE', false, ['tools']),
    spec('FIREBOLT_ENGINE', false, ['tools']),
  ];
  for (const kind of new Set(manifest.channels.map((c) => c.kind))) {
    for (const s of CHANNEL_INFRA[kind].settings) specs.push(spec(s.env, s.secret, s.usedBy.map((role) => `${kind}-${role}` as const)));
  }
  for (const tool of manifest.tools) {
    if (tool.kind === 'web_search') specs.push(spec(tool.provider.apiKeyEnv, true, ['tools']));
    if (tool.kind === 'gong') {
      specs.push(spec(tool.gong.accessKeyEnv, true, ['tools']), spec(tool.gong.accessKeySecretEnv, true, ['tools']),
        spec(tool.gong.baseUrlEnv, false, ['tools']));
    }
  }
  const byEnv = new Map(specs.map((s) => [s.env, s]));
  return [...byEnv.values()].sort((a, b) => a.env.localeCompare(b.env));
}

/** The settings a function playing `users` needs. */
export const settingsFor = (catalog: SettingSpec[], users: SettingUser[]): SettingSpec[] =>
  catalog.filter((s) => s.usedBy.some((u) => users.includes(u)));
