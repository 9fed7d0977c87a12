/**
 * What `revops doctor` checks, as a table of families: each reads the deployment's configuration (environment,
 * with stack outputs merged in) and the manifest, and yields the checks that apply — the seed's troubleshooting
 * section, run end to end. Secrets come first: later checks see the values REVOPS_SECRET_ARNS resolves to.
 */
import { GetAgentAliasCommand, GetAgentCommand, BedrockAgentClient, ListDataSourcesCommand, ListIngestionJobsCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { WebClient } from '@slack/web-api';
import { agentModel, isSlackChannel, type Manifest, queueUrlVariable } from '../../compiler/manifest.ts';
import { readText, StoreError } from '../aws/s3Objects.ts';
import { agentTargets } from '../engines/bedrockAgents/agentTarget.ts';
import { resolveSecretEnv } from '../lambda/secretEnv.ts';
import { OutboundError, outboundRequest } from '../net/index.ts';
import { matchAllowlist } from '../tools/webhook/urlAllowlist.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { CheckFailed, type DoctorCheck } from './doctorCheck.ts';
import { tablesRead } from './sqlTables.ts';

export interface DoctorContext {
  manifest: Manifest;
  /** The deployment's settings; the secrets check replaces it with the secrets' values filled in. */
  env: Record<string, string | undefined>;
  cwd: string;
}

type CheckFamily = (ctx: DoctorContext) => DoctorCheck[];

const region = (env: DoctorContext['env']) => env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
/**
 * An AWS client's settings from the deployment's environment rather than this process's: region, endpoint
 * (AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, as the SDK reads them) and static keys when given.
 */
function aws(env: DoctorContext['env'], service: string) {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`]?.trim() || env.AWS_ENDPOINT_URL?.trim();
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  return {
    maxAttempts: 1,
    ...(region(env) ? { region: region(env)! } : {}),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } } : {}),
  };
}
const nameOf = (error: unknown): string => String((error as { name?: unknown } | undefined)?.name ?? '');

const secrets: CheckFamily = (ctx) => (ctx.env.REVOPS_SECRET_ARNS ? [{
  name: 'secrets (REVOPS_SECRET_ARNS)',
  fix: 'set each secret with `pulumi config set --secret revops:<name> <value>` and run `pulumi up`; this role needs secretsmanager:GetSecretValue on them',
  run: async () => {
    ctx.env = await resolveSecretEnv(ctx.env, new SecretsManagerClient(aws(ctx.env, 'SECRETS_MANAGER')));
    return `${Object.keys(JSON.parse(ctx.env.REVOPS_SECRET_ARNS!) as object).length} resolved`;
  },
}] : []);

const slack: CheckFamily = (ctx) => (ctx.manifest.channels.some(isSlackChannel) ? [
  {
    name: 'slack bot token (auth.test)',
    fix: 'set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...) from the Slack app\'s OAuth & Permissions page ' +
      '(`pulumi config set --secret revops:slackBotToken`); reinstall the app if the token was revoked',
    run: async () => {
      const token = ctx.env.SLACK_BOT_TOKEN?.trim();
      if (!token) throw new CheckFailed('SLACK_BOT_TOKEN is not set');
      const apiUrl = ctx.env.SLACK_API_URL?.trim();
      const client = new WebClient(token, { retryConfig: { retries: 0 }, ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}) });
      const who = await client.auth.test().catch((error: { data?: { error?: string } }) => {
        throw new CheckFailed(`Slack refused the token: ${error.data?.error ?? (error as Error).message}`);
      });
      return `bot ${who.user ?? who.user_id} in team ${who.team_id}`;
    },
  },
  {
    name: 'slack signing secret',
    fix: 'set SLACK_SIGNING_SECRET to the Signing Secret on the Slack app\'s Basic Information page (`pulumi config set --secret revops:slackSigningSecret`)',
    run: async () => {
      if (!ctx.env.SLACK_SIGNING_SECRET?.trim()) throw new CheckFailed('SLACK_SIGNING_SECRET is not set');
      return 'present';
    },
  },
] : []);

const warehouse: CheckFamily = (ctx) => {
  const firebolt = ctx.env.REVOPS_WAREHOUSE?.trim().toLowerCase() === 'firebolt';
  let opened: Promise<Warehouse> | undefined;
  const open = () => (opened ??= openWarehouse(ctx.env, ctx.cwd));
  const needed = [...new Set(ctx.manifest.tools.flatMap((t) => t.kind === 'sql' ? tablesRead(t.sql) : t.kind === 'sql_write' ? Object.keys(t.write.tables) : []))].sort();
  return [
    {
      name: `warehouse connect (${firebolt ? 'Firebolt' : 'DuckDB'}, SELECT 1)`,
      fix: firebolt
        ? 'check FIREBOLT_CLIENT_ID / FIREBOLT_CLIENT_SECRET (a service account with access), FIREBOLT_ACCOUNT, FIREBOLT_DATABASE and FIREBOLT_ENGINE (running), and that this host reaches the Firebolt API'
        : 'run `revops data seed` for the sample warehouse, or set REVOPS_WAREHOUSE_PATH (or REVOPS_WAREHOUSE=firebolt with the FIREBOLT_* settings)',
      run: async () => {
        const result = await (await open()).query('SELECT 1 AS ok');
        return `connected; SELECT 1 returned ${result.rows.length} row`;
      },
    },
    {
      name: 'warehouse schema (tables the SQL tools read)',
      fix: 'create the missing tables, or point the warehouse settings (FIREBOLT_DATABASE, REVOPS_WAREHOUSE_PATH) at the database that has them',
      run: async () => {
        try {
          const result = await (await open()).query('SELECT table_schema, table_name FROM information_schema.tables', { maxRows: 100_000 });
          const present = new Set(result.rows.flatMap((r) => {
            const table = String(r.table_name).toLowerCase();
            return [table, `${String(r.table_schema).toLowerCase()}.${table}`];
          }));
          const missing = needed.filter((t) => !present.has(t));
          if (missing.length) throw new CheckFailed(`missing: ${missing.join(', ')} (the tools read ${needed.join(', ')})`);
          return `all ${needed.length} present (${needed.join(', ')})`;
        } finally {
          await opened?.then((w) => w.close(), () => undefined);
        }
      },
    },
  ];
};

const bedrock: CheckFamily = (ctx) => {
  const engine = ctx.env.REVOPS_ENGINE?.trim();
  if (engine === 'converse') {
    const models = [...new Set(ctx.manifest.agents.map((a) => agentModel(ctx.manifest, a, ctx.env.REVOPS_MODEL)))];
    return models.map((model) => ({
      name: `bedrock model ${model} (Converse, 1 token)`,
      fix: `enable access to ${model} in the Bedrock console for ${region(ctx.env) ?? 'AWS_REGION'} and let this role call bedrock:InvokeModel on it (\`revops plan\` lists the ARNs)`,
      run: async () => {
        const client = new BedrockRuntimeClient(aws(ctx.env, 'BEDROCK_RUNTIME'));
        try {
          const answer = await client.send(new ConverseCommand({ modelId: model, messages: [{ role: 'user', content: [{ text: 'ping' }] }], inferenceConfig: { maxTokens: 1 } }));
          return `answered (stop reason ${answer.stopReason})`;
        } catch (error) {
          if (nameOf(error) === 'ValidationException' || nameOf(error) === 'ResourceNotFoundException') {
            throw new CheckFailed((error as Error).message, `check the model id (REVOPS_MODEL, the agent's model or defaults.model) is offered in ${region(ctx.env) ?? 'AWS_REGION'} with the Converse API`);
          }
          throw error;
        }
      },
    }));
  }
  if (engine !== 'bedrock-agents') return [];
  const entries = [...new Set(ctx.manifest.channels.map((c) => c.entry))];
  return entries.map((agent) => ({
    name: `bedrock agent ${agent} (agent and alias PREPARED)`,
    fix: 'run `pulumi up` (it creates and prepares the agents), then write the outputs (`pulumi stack output --json`) or set REVOPS_AGENT_ID / REVOPS_AGENT_ALIAS_ID',
    run: async () => {
      const target = agentTargets(ctx.env, ctx.cwd)(agent);
      const client = new BedrockAgentClient(aws(ctx.env, 'BEDROCK_AGENT'));
      const [got, alias] = await Promise.all([
        client.send(new GetAgentCommand({ agentId: target.agentId })),
        client.send(new GetAgentAliasCommand({ agentId: target.agentId, agentAliasId: target.agentAliasId })),
      ]);
      const agentStatus = got.agent?.agentStatus;
      const aliasStatus = alias.agentAlias?.agentAliasStatus;
      if (agentStatus !== 'PREPARED' || aliasStatus !== 'PREPARED') {
        throw new CheckFailed(`agent ${target.agentId} is ${agentStatus ?? 'unknown'}, alias ${target.agentAliasId} is ${aliasStatus ?? 'unknown'}`,
          `prepare the agent (aws bedrock-agent prepare-agent --agent-id ${target.agentId}) and run \`pulumi up\` again`);
      }
      return `agent ${target.agentId} and alias ${target.agentAliasId} PREPARED`;
    },
  }));
};

/** The knowledge base `knowledge_search` retrieves from: its data sources' latest ingestion finished without failures. */
const knowledge: CheckFamily = (ctx) => {
  const id = ctx.env.REVOPS_KNOWLEDGE_BASE_ID?.trim();
  if (!id) return [];
  return [{
    name: `knowledge base ${id} (last ingestion)`,
    fix: 'run `pulumi up` (it starts an ingestion when the documents change), or start one in the Bedrock console; this role needs bedrock:ListDataSources and bedrock:ListIngestionJobs on the knowledge base',
    run: async () => {
      const client = new BedrockAgentClient(aws(ctx.env, 'BEDROCK_AGENT'));
      const sources = (await client.send(new ListDataSourcesCommand({ knowledgeBaseId: id }))).dataSourceSummaries ?? [];
      if (!sources.length) throw new CheckFailed(`knowledge base ${id} has no data source`, 'run `pulumi up`: the program creates the S3 data source with the compiled documents');
      const seen: string[] = [];
      for (const source of sources) {
        const [last] = (await client.send(new ListIngestionJobsCommand({
          knowledgeBaseId: id, dataSourceId: source.dataSourceId, maxResults: 1, sortBy: { attribute: 'STARTED_AT', order: 'DESCENDING' },
        }))).ingestionJobSummaries ?? [];
        if (!last) throw new CheckFailed(`data source ${source.dataSourceId} was never ingested`, 'run `pulumi up`, or start an ingestion job for it in the Bedrock console');
        if (last.status !== 'COMPLETE') {
          throw new CheckFailed(`the last ingestion of data source ${source.dataSourceId} is ${last.status}`,
            last.status === 'FAILED' ? 'read the job\'s failure reasons in the Bedrock console, fix the documents, and run `pulumi up`' : 'wait for it to finish, then run `revops doctor` again');
        }
        seen.push(`${source.dataSourceId}: ${last.statistics?.numberOfDocumentsFailed ?? 0} failed of ${last.statistics?.numberOfDocumentsScanned ?? 0} scanned`);
      }
      return `last ingestion COMPLETE (${seen.join('; ')})`;
    },
  }];
};

const queues: CheckFamily = (ctx) => {
  const onSqs = ctx.env.REVOPS_QUEUE?.trim() === 'sqs' || Object.keys(ctx.env).some((k) => k.startsWith('REVOPS_QUEUE_URL_'));
  if (!onSqs) return [];
  return ctx.manifest.channels.map((channel) => {
    const variable = queueUrlVariable(channel.name);
    return {
      name: `sqs queue ${channel.name} (and its dead-letter queue)`,
      fix: `deploy the queue (\`pulumi up\`) or set ${variable} to its URL; this role needs sqs:GetQueueAttributes`,
      run: async () => {
        const url = ctx.env[variable]?.trim();
        if (!url) throw new CheckFailed(`${variable} is not set`);
        const client = new SQSClient(aws(ctx.env, 'SQS'));
        const attributes = async (queueUrl: string) => (await client.send(new GetQueueAttributesCommand({
          QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'RedrivePolicy'],
        }))).Attributes ?? {};
        const main = await attributes(url).catch((error: unknown) => {
          if (/NonExistentQueue|QueueDoesNotExist/u.test(nameOf(error))) throw new CheckFailed(`${url} does not exist`);
          throw error;
        });
        const redrive = main.RedrivePolicy ? JSON.parse(main.RedrivePolicy) as { deadLetterTargetArn?: string } : undefined;
        const dlqName = redrive?.deadLetterTargetArn?.split(':').at(-1);
        if (!dlqName) throw new CheckFailed(`${url} has no dead-letter queue`, 'run `pulumi up`: the deploy gives every channel queue a dead-letter queue after 3 receives');
        const dlqUrl = (await client.send(new GetQueueUrlCommand({ QueueName: dlqName }))).QueueUrl!;
        const depth = Number((await attributes(dlqUrl)).ApproximateNumberOfMessages ?? 0);
        if (depth > 0) {
          throw new CheckFailed(`${depth} message(s) in dead-letter queue ${dlqName}`,
            `read them (aws sqs receive-message --queue-url ${dlqUrl}), fix the cause in the processor's logs, then move them back (aws sqs start-message-move-task --source-arn ${redrive!.deadLetterTargetArn})`);
        }
        return `${main.ApproximateNumberOfMessages ?? 0} waiting; dead-letter queue ${dlqName} empty`;
      },
    };
  });
};

const buckets: CheckFamily = (ctx) => {
  const places = new Map<string, string>();
  if (ctx.env.REVOPS_EXPORT_BUCKET) places.set(ctx.env.REVOPS_EXPORT_BUCKET, ctx.env.REVOPS_EXPORT_PREFIX ?? '');
  if (ctx.env.REVOPS_STATUS_BUCKET && !places.has(ctx.env.REVOPS_STATUS_BUCKET)) places.set(ctx.env.REVOPS_STATUS_BUCKET, ctx.env.REVOPS_STATUS_PREFIX ?? '');
  return [...places].map(([bucket, prefix]) => ({
    name: `s3 bucket ${bucket} (list and read ${prefix || '/'})`,
    fix: `deploy the bucket (\`pulumi up\`) or set REVOPS_EXPORT_BUCKET to it`,
    run: async () => {
      const client = new S3Client(aws(ctx.env, 'S3'));
      const denied = (what: string) => new CheckFailed(`access denied to ${what} s3://${bucket}/${prefix}`,
        `let this role call ${what === 'list' ? 's3:ListBucket on arn:aws:s3:::' + bucket + ` (condition s3:prefix ${prefix || '*'})` : `s3:GetObject on arn:aws:s3:::${bucket}/${prefix}*`}: ` +
        'without ListBucket S3 answers 403 for a missing key and every new message fails');
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 })).catch((error: unknown) => {
        if (nameOf(error) === 'NoSuchBucket') throw new CheckFailed(`bucket ${bucket} does not exist`);
        if (nameOf(error) === 'AccessDenied' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) throw denied('list');
        throw error;
      });
      // Read as the stores read (a 403 checked against a listing), so a missing key must come back missing.
      const probe = { bucket, key: `${prefix}revops-doctor-probe-${Date.now()}` };
      await readText(async () => ({ sdk: await import('../aws/s3.ts'), client }), probe).catch((error: unknown) => {
        if (error instanceof StoreError && error.code === 'store_denied') throw denied('read');
        throw error;
      });
      return `listable (${listed.KeyCount ?? 0} key(s) seen) and a missing key reads as missing`;
    },
  }));
};

const receivers: CheckFamily = (ctx) => ctx.manifest.tools.filter((t) => t.kind === 'webhook').flatMap((tool) => {
  const target = tool.parameters.find((p) => p.name === 'url')?.default;
  if (typeof target !== 'string' || !target) return [];
  const url = new URL(target);
  return [{
    name: `webhook receiver of ${tool.name} (${url.origin})`,
    fix: `make ${url.origin} reachable from this network, or change the url default and allow list of ${tool.name}; ` +
      'the outbound guard refuses private and loopback addresses unless an allow pattern names the host',
    run: async () => {
      const match = matchAllowlist(url, tool.allow ?? []);
      if (!match.allowed) throw new CheckFailed(`${url.origin} is not in the allow list (${(tool.allow ?? []).join(', ')})`);
      try {
        // GET, not POST: the check must not send a notification. Any HTTP answer means the receiver is reachable.
        const answer = await outboundRequest({ url, method: 'GET', timeoutMs: 10_000, maxResponseBytes: 1024 }, { hostNamedExplicitly: match.explicitHost });
        return `reachable (answered HTTP ${answer.status})`;
      } catch (error) {
        if (error instanceof OutboundError) throw new CheckFailed(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  }];
});

/** In the order they run: secrets first, so the rest see their values. */
export const CHECK_FAMILIES: readonly CheckFamily[] = [secrets, slack, warehouse, bedrock, knowledge, queues, buckets, receivers];

/** The checks that apply, built lazily family by family so the secrets' values reach later families. */
export function* doctorChecks(ctx: DoctorContext): Generator<DoctorCheck> {
  for (const family of CHECK_FAMILIES) yield* family(ctx);
}
