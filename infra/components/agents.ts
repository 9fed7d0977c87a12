/**
 * Every agent of the manifest, collaborators before the supervisors that reference them (a supervisor needs its
 * collaborators' alias ARNs — never `TSTALIASID`, which always points at the unprepared draft).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { agentModel, type Manifest, type ManifestAgent } from '../../compiler/manifest.ts';
import { agentFingerprint } from '../agentFingerprint.ts';
import { AgentDeployment } from './agentDeployment.ts';

/** Agents ordered so each comes after all its collaborators; throws on a cycle or an unknown collaborator. */
export function deploymentOrder(agents: ManifestAgent[]): ManifestAgent[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const ordered: ManifestAgent[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (agent: ManifestAgent, path: string[]) => {
    if (state.get(agent.name) === 'done') return;
    if (state.get(agent.name) === 'visiting') {
      throw new Error(`RV_INFRA_CYCLE: collaborator cycle ${[...path, agent.name].join(' -> ')}; fix the agent specs`);
    }
    state.set(agent.name, 'visiting');
    for (const c of agent.collaborators) {
      const collaborator = byName.get(c.agent);
      if (!collaborator) throw new Error(`RV_INFRA_AGENT: '${agent.name}' names unknown collaborator '${c.agent}'`);
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
  knowledgeBaseId?: string;
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
        knowledgeBaseId: args.knowledgeBaseId,
        collaborators: agent.collaborators.map((c) => ({
          name: c.agent,
          instruction: c.instruction,
          relayConversationHistory: c.relayConversationHistory,
          aliasArn: this.deployments.get(c.agent)!.alias.agentAliasArn,
        })),
        fingerprint: agentFingerprint(args.manifest, agent, { model, knowledgeBaseId: args.knowledgeBaseId }),
      }, { parent: this });
      this.deployments.set(agent.name, deployment);
    }
    this.registerOutputs({});
  }
}
