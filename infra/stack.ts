/**
 * The whole deployment as one function of (manifest, stack config): used by the Pulumi entry (`infra/index.ts`) and,
 * under Pulumi's mocks, by `revops plan` and the tests. It wires components; each component owns its resources.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { type Manifest, MODEL_OVERRIDE_VARIABLE, agentModel, needsApproval, queueUrlVariable } from '../compiler/manifest.ts';
import { deployFacts } from '../compiler/engines.ts';
import { channelInfra, type ChannelUrlOutput } from './channelKinds.ts';
import type { StackConfig } from './config.ts';
import { checkModelRegion, modelInvokeArns } from './policies/modelArns.ts';
import { type SettingUser, settingsCatalog, settingsFor } from './settingsCatalog.ts';
import { knowledgeOf, runsKnowledgeTools } from './knowledgeDocuments.ts';
import { Agents } from './components/agents.ts';
import { ChannelDeployment, type ChannelFunctionSettings } from './components/channelDeployment.ts';
import { ChannelQueue } from './components/channelQueue.ts';
import { HttpApi } from './components/httpApi.ts';
import { KnowledgeBase } from './components/knowledgeBase.ts';
import { Monitoring } from './components/monitoring.ts';
import { RuntimeFunction } from './components/runtimeFunction.ts';
import { Secrets } from './components/secrets.ts';
import { SessionTable, sessionTtlSeconds } from './components/sessionTable.ts';
import { EXPORT_PREFIX, STATUS_PREFIX, Storage } from './components/storage.ts';

export interface StackPaths {
  /** Absolute folder holding `<bundle>.mjs` files, and the compiled manifest file. */
  bundleDir: string;
  manifestPath: string;
}

export interface StackOutputs extends Partial<Record<ChannelUrlOutput, pulumi.Output<string>>> {
  agents: Record<string, { agentId: pulumi.Output<string>; aliasId: pulumi.Output<string> }>;
  /** REVOPS_QUEUE_URL_<CHANNEL> -> queue URL, what `revops doctor --outputs` checks. */
  queueUrls: Record<string, pulumi.Input<string>>;
  exportBucket: pulumi.Output<string>;
  sessionTable?: pulumi.Output<string>;
  knowledgeBaseId?: pulumi.Output<string>;
  alarmTopicArn: pulumi.Output<string>;
}

/**
 * The models the agents call, by the rule the engines follow (agentModel); throws on a profile whose geography is
 * unknown or cannot be called from the stack's region, so the deploy fails, not the first request.
 */
export function stackModels(manifest: Manifest, config: Pick<StackConfig, 'model' | 'region'>): string[] {
  const models = [...new Set(manifest.agents.map((a) => agentModel(manifest, a, config.model)))];
  models.forEach((model) => checkModelRegion(model, config.region));
  return models;
}

export function createStack(manifest: Manifest, config: StackConfig, paths: StackPaths): StackOutputs {
  const { namePrefix, engine } = config;
  const { agentsRunIn, sessionTable } = deployFacts(engine);
  const accountId = aws.getCallerIdentityOutput().accountId;
  const catalog = settingsCatalog(manifest);
  const models = stackModels(manifest, config);
  const statusDays = manifest.channels.map((c) => channelInfra(c).statusRetentionDays?.(c)).find((days) => days !== undefined);
  const storage = new Storage('storage', {
    ...(statusDays !== undefined ? { expireStatusAfterDays: statusDays } : {}),
    expireAnsweredKeysAfterDays: Math.max(...manifest.channels.map((c) => Math.ceil(c.queue.retentionSeconds / 86_400)), 14),
  });
  const secrets = new Secrets('secrets', { namePrefix, specs: catalog, values: config.settings });
  // A processor runs tools when it runs the agents, and with any engine it previews and performs approved writes and
  // notifications itself (runtime/approvals), so it needs the tools' settings whenever a tool needs approval.
  const toolsRun: SettingUser[] = agentsRunIn === 'processor' || manifest.tools.some(needsApproval) ? ['tools'] : [];

  // A knowledge base named in config is used as it is; otherwise the program builds one from the documents.
  const knowledge = knowledgeOf(manifest);
  const built = !config.knowledgeBaseId && knowledge.documents.length
    ? new KnowledgeBase('knowledge', {
      namePrefix, knowledge, region: config.region, accountId, ...paths,
      logRetentionDays: Math.max(...manifest.channels.map((c) => c.logRetentionDays), 14),
    })
    : undefined;
  const knowledgeBase = built
    ? { id: built.base.id, arn: built.base.arn, fingerprint: 'built-from-documents' }
    : config.knowledgeBaseId ? {
      id: pulumi.output(config.knowledgeBaseId), fingerprint: config.knowledgeBaseId,
      arn: pulumi.interpolate`arn:aws:bedrock:${config.region}:${accountId}:knowledge-base/${config.knowledgeBaseId}`,
    } : undefined;
  /** What the function that runs the tools needs to search it (knowledge_search). */
  const knowledgeSearch: { environment: Record<string, pulumi.Input<string>>; retrieveKnowledge: pulumi.Input<string>[] } =
    knowledgeBase && runsKnowledgeTools(manifest)
      ? { environment: { REVOPS_KNOWLEDGE_BASE_ID: knowledgeBase.id }, retrieveKnowledge: [knowledgeBase.arn] }
      : { environment: {}, retrieveKnowledge: [] };
  // Converse keeps each conversation's turns here; Bedrock Agents keeps its own sessions.
  const sessions = sessionTable ? new SessionTable('sessions', { tableName: `${namePrefix}-sessions` }) : undefined;

  /** Environment and secret grants for a function playing `users`. */
  const settingsOf = (users: SettingUser[]) => {
    const specs = settingsFor(catalog, users);
    const secretArns = specs.filter((s) => s.secret).map((s) => [s.env, secrets.arns[s.env]!] as const);
    const plain = specs.filter((s) => !s.secret && config.settings[s.env] !== undefined)
      .map((s) => [s.env, config.settings[s.env]!] as const);
    return {
      environment: {
        REVOPS_ENGINE: engine,
        ...(users.includes('tools') ? { REVOPS_WAREHOUSE: 'firebolt' } : {}),
        REVOPS_SECRET_ARNS: pulumi.jsonStringify(Object.fromEntries(secretArns)),
        ...Object.fromEntries(plain),
      },
      readSecrets: secretArns.map(([, arn]) => arn),
    };
  };
  const storageEnv = {
    REVOPS_EXPORT_BUCKET: storage.bucket.bucket, REVOPS_EXPORT_PREFIX: EXPORT_PREFIX,
    REVOPS_STATUS_BUCKET: storage.bucket.bucket, REVOPS_STATUS_PREFIX: STATUS_PREFIX,
  };

  let toolExecutor: RuntimeFunction | undefined;
  if (agentsRunIn === 'bedrock-agents' && manifest.tools.length) {
    const { environment, readSecrets } = settingsOf(['tools']);
    toolExecutor = new RuntimeFunction('tool-executor', {
      functionName: `${namePrefix}-tool-executor`, bundle: 'tool-executor', ...paths,
      memoryMb: 512,
      // Long enough for the slowest tool with its retries, in the whole seconds Lambda takes; its maximum is 900 s.
      timeoutSeconds: Math.min(900, Math.ceil(Math.max(...manifest.tools.map((t) => (t.timeoutMs * (t.retries + 1)) / 1000))) + 10),
      logRetentionDays: Math.max(...manifest.channels.map((c) => c.logRetentionDays), 14),
      // A confirmed write or notification is answered from the action the processor performed (runtime/approvals).
      environment: { ...environment, ...storageEnv, ...knowledgeSearch.environment },
      grants: { readSecrets, retrieveKnowledge: knowledgeSearch.retrieveKnowledge, readObjects: [storage.objectsArn(STATUS_PREFIX)] },
    });
  }
  const agents = agentsRunIn === 'bedrock-agents'
    ? new Agents('agents', {
      manifest, namePrefix, stackModel: config.model, knowledgeBase,
      region: config.region, accountId, toolExecutor: toolExecutor?.function,
    })
    : undefined;

  const queues = manifest.channels.map((channel) => new ChannelQueue(`queue-${channel.name}`, {
    queueName: `${namePrefix}-${channel.name}-inbound`, channel: channel.name, settings: channel.queue,
    consumerTimeoutSeconds: channel.processor.timeoutSeconds,
  }));
  // runtime/config.ts: REVOPS_QUEUE=sqs and one REVOPS_QUEUE_URL_<CHANNEL> per channel.
  const queueUrls = {
    REVOPS_QUEUE: 'sqs',
    ...Object.fromEntries(manifest.channels.map((c, i) => [queueUrlVariable(c.name), queues[i]!.queue.url])),
  };

  const channels = manifest.channels.map((channel, index) => {
    const ingressSettings = settingsOf([`${channel.kind}-ingress`]);
    const processorSettings = settingsOf([`${channel.kind}-processor`, ...toolsRun]);
    const entry = agents?.deployments.get(channel.entry);
    const ingress: ChannelFunctionSettings = {
      environment: { ...ingressSettings.environment, ...storageEnv },
      grants: {
        readSecrets: ingressSettings.readSecrets,
        ...(channelInfra(channel).ingressKeepsStatus ? {
          readObjects: [storage.objectsArn(STATUS_PREFIX)], writeObjects: [storage.objectsArn(STATUS_PREFIX)],
          // An idempotency claim whose request could not be queued is withdrawn (runtime/lambda/s3Stores.ts).
          deleteObjects: [storage.objectsArn(`${STATUS_PREFIX}claims/`)],
        } : {}),
      },
    };
    const processor: ChannelFunctionSettings = {
      environment: {
        ...processorSettings.environment, ...storageEnv,
        ...(sessions ? {
          REVOPS_SESSION_TABLE: sessions.table.name, REVOPS_SESSION_TTL_SECONDS: String(sessionTtlSeconds(manifest, channel)),
        } : {}),
        ...(toolsRun.length ? knowledgeSearch.environment : {}),
        ...(entry ? { REVOPS_AGENT_ID: entry.agent.agentId, REVOPS_AGENT_ALIAS_ID: entry.alias.agentAliasId } : {}),
        // The converse engine picks models with the same agentModel rule the invokeModels grant below used.
        ...(config.model ? { [MODEL_OVERRIDE_VARIABLE]: config.model } : {}),
      },
      grants: {
        readSecrets: processorSettings.readSecrets,
        writeObjects: [storage.objectsArn(EXPORT_PREFIX), storage.objectsArn(STATUS_PREFIX)],
        readObjects: [storage.objectsArn(STATUS_PREFIX)],
        ...(sessions ? { sessionTables: [sessions.table.arn] } : {}),
        ...(toolsRun.length ? { retrieveKnowledge: knowledgeSearch.retrieveKnowledge } : {}),
        ...(entry ? { invokeAgentAliases: [entry.alias.agentAliasArn] } : {
          invokeModels: accountId.apply((account) =>
            models.flatMap((m) => modelInvokeArns(m, config.region, account))),
        }),
      },
    };
    return new ChannelDeployment(`channel-${channel.name}`, {
      channel, namePrefix, ...paths, queue: queues[index]!, queueUrls, ingress, processor,
    });
  });

  // A kind's paths are the same for each of its channels: the first channel of each kind has them.
  const routed = manifest.channels.flatMap((channel, i) =>
    (manifest.channels.findIndex((c) => c.kind === channel.kind) === i ? [{ channel, ingress: channels[i]!.ingress }] : []));
  const api = new HttpApi('api', {
    apiName: `${namePrefix}-api`,
    routes: routed.flatMap(({ channel, ingress }) => channelInfra(channel).routes.map((route) => ({ ...route, handler: ingress.function }))),
  });
  const urls = Object.fromEntries(routed.flatMap(({ channel }) => {
    const url = channelInfra(channel).url;
    return url ? [[url.output, pulumi.interpolate`${api.api.apiEndpoint}${url.path}`]] : [];
  })) as Partial<Record<ChannelUrlOutput, pulumi.Output<string>>>;
  const monitoring = new Monitoring('monitoring', {
    dashboardName: namePrefix, region: config.region,
    deadLetterQueues: Object.fromEntries(manifest.channels.map((c, i) => [c.name, queues[i]!.deadLetters])),
    processors: Object.fromEntries(manifest.channels.map((c, i) => [c.name, channels[i]!.processor.function])),
  });

  return {
    ...urls,
    agents: Object.fromEntries([...(agents?.deployments ?? [])].map(([name, d]) =>
      [name, { agentId: d.agent.agentId, aliasId: d.alias.agentAliasId }])),
    queueUrls: Object.fromEntries(Object.entries(queueUrls).filter(([name]) => name !== 'REVOPS_QUEUE')),
    exportBucket: storage.bucket.bucket,
    ...(sessions ? { sessionTable: sessions.table.name } : {}),
    ...(knowledgeBase ? { knowledgeBaseId: knowledgeBase.id } : {}),
    alarmTopicArn: monitoring.alarmTopic.arn,
  };
}
