/**
 * Every agent of the manifest, collaborators before the supervisors that reference them (a supervisor needs its
 * collaborators' alias ARNs — never `TSTALIASID`, which always points at the unprepared draft).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { agentModel, type Manifest, type ManifestAgent } from '../../compiler/manifest.ts';
import { agentFingerprint } from '../agentFingerprint.ts';
import { AgentDeployment } from './agentDeployment.ts';
import { knowledgeOf, usesKnowledgeBase } from '../knowledgeDocuments.ts';
import { InfraError } from '../infraError.ts';

/** Agents ordered so each comes after all its collaborators; throws on a cycle or an unknown collaborator. */
export function deploymentOrder(agents: ManifestAgent[]): ManifestAgent[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const ordered: ManifestAgent[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (agent: ManifestAgent, path: string[]) => {
    if (state.get(agent.name) === 'done') return;
    if (state.get(agent.name) === 'visiting') {
      throw new InfraError('RV_INFRA_CYCLE', `collaborator cycle ${[...path, agent.name].join(' -> ')}; fix the agent specs`);
    }
    state.set(agent.name, 'visiting');
    for (const c of agent.collaborators) {
      const collaborator = byName.get(c.agent);
      if (!collaborator) throw new InfraError('RV_INFRA_AGENT', `'${agent.name}' names unknown collaborator '${c.agent}'`);
      visit(collaborator, [...path, agent.name]);
    }
    state.set(agent.name, 'done');
    ordered.push(agent);
  };
  for (const agent of agents) visit(agent, []);
  return ordered;
}

export interface AgentsArgs {
  manifest: Manifest;
  namePrefix: string;
  stackModel?: string;
  /** The knowledge base the agents that use one are associated with (`fingerprint`: see AgentDeploySettings). */
  knowledgeBase?: { id: pulumi.Input<string>; arn: pulumi.Input<string>; fingerprint: string };
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  toolExecutor?: aws.lambda.Function;
}

export class Agents extends pulumi.ComponentResource {
  readonly deployments = new Map<string, AgentDeployment>();

  constructor(name: string, args: AgentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:agents:Agents', name, {}, opts);
    const tools = new Map(args.manifest.tools.map((t) => [t.name, t]));
    for (const agent of deploymentOrder(args.manifest.agents)) {
      const model = agentModel(args.manifest, agent, args.stackModel);
      const deployment = new AgentDeployment(`${name}-${agent.name}`, {
        agent,
        agentName: `${args.namePrefix}-${agent.name}`,
        model,
        tools,
        region: args.region,
        accountId: args.accountId,
        toolExecutor: args.toolExecutor,
        ...(args.knowledgeBase && usesKnowledgeBase(args.manifest, agent)
          ? { knowledgeBase: { ...args.knowledgeBase, description: associationDescription(args.manifest, agent) } } : {}),
        collaborators: agent.collaborators.map((c) => ({
          name: c.agent,
          instruction: c.instruction,
          relayConversationHistory: c.relayConversationHistory,
          aliasArn: this.deployments.get(c.agent)!.alias.agentAliasArn,
        })),
        fingerprint: agentFingerprint(args.manifest, agent, { model, knowledgeBaseId: args.knowledgeBase?.fingerprint }),
      }, { parent: this });
      this.deployments.set(agent.name, deployment);
    }
    this.registerOutputs({});
  }
}

/** What the agent is told the knowledge base holds: its spec's words, else the titles of its documents (Bedrock: 200). */
export function associationDescription(manifest: Manifest, agent: ManifestAgent): string {
  if (agent.knowledgeBase) return agent.knowledgeBase.description;
  const titles = knowledgeOf(manifest).documents.filter((d) => d.agents.includes(agent.name)).map((d) => d.title);
  const text = `Our definitions, to consult before answering or writing SQL: ${titles.join('; ')}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
