/**
 * One Bedrock agent: its service role (invoke exactly its model, its collaborators, its knowledge base), the agent,
 * one action group per tool group backed by the tool-executor Lambda (with a Lambda permission scoped to this
 * agent's ARN), knowledge-base association, collaborator associations for a supervisor, and a `live` alias.
 *
 * Ordering is expressed with `dependsOn`, never left to parallelism (DESIGN.md, Bedrock facts; terraform-provider-aws
 * #42256, #43059):
 *  - every attachment (action group, collaborator, knowledge base) waits for the previous one, because attaching
 *    while the agent is PREPARING fails;
 *  - a supervisor is created with `prepareAgent: false` (preparing a supervisor without collaborators fails), its
 *    attachments do not prepare, except the last collaborator association, which prepares it — after every
 *    collaborator is in place; a knowledge base, if any, is attached after that (its association prepares again);
 *  - the last attachment of a supervisor carries a `replacementTrigger` on the agent's definition hash: a change to
 *    the supervisor itself (its instruction, say) re-runs that final association and so prepares it again;
 *  - the alias waits for the last attachment, and its description carries the definition hash, so a changed agent
 *    always gets a new, prepared version behind its alias.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { needsApproval, type ManifestAgent, type ManifestTool } from '../../compiler/manifest.ts';
import { agentRolePolicy, serviceTrustPolicy } from '../policies/documents.ts';
import { modelInvokeArns } from '../policies/modelArns.ts';
import { InfraError } from '../infraError.ts';

export interface CollaboratorRef {
  name: string;
  instruction: string;
  relayConversationHistory: 'TO_COLLABORATOR' | 'DISABLED';
  aliasArn: pulumi.Output<string>;
}

export interface KnowledgeBaseRef {
  id: pulumi.Input<string>;
  arn: pulumi.Input<string>;
  /** What the association tells the agent the knowledge base is for. */
  description: string;
}

export interface AgentDeploymentArgs {
  agent: ManifestAgent;
  /** Physical Bedrock agent name. */
  agentName: string;
  model: string;
  /** Tools by name (the action groups' functions). */
  tools: ReadonlyMap<string, ManifestTool>;
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  /** Required when the agent has action groups. */
  toolExecutor?: aws.lambda.Function;
  /** Only for an agent that uses it. */
  knowledgeBase?: KnowledgeBaseRef;
  /** Supervisors: collaborators in spec order, already deployed. */
  collaborators: CollaboratorRef[];
  fingerprint: string;
}

type Attach = (name: string, opts: pulumi.CustomResourceOptions, prepare: boolean) => pulumi.CustomResource;

export class AgentDeployment extends pulumi.ComponentResource {
  readonly agent: aws.bedrock.AgentAgent;
  readonly alias: aws.bedrock.AgentAgentAlias;

  constructor(name: string, args: AgentDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:agents:AgentDeployment', name, {}, opts);
    const { agent } = args;
    const isSupervisor = agent.role === 'supervisor';
    const { knowledgeBase } = args;
    if (agent.actionGroups.length && !args.toolExecutor) {
      throw new InfraError('RV_INFRA_TOOLS', `agent '${agent.name}' has action groups but no tool executor was deployed`);
    }

    const role = new aws.iam.Role(`${name}-role`, {
      assumeRolePolicy: pulumi.all([args.region, args.accountId]).apply(([region, account]) => JSON.stringify(
        serviceTrustPolicy('bedrock.amazonaws.com', account, `arn:aws:bedrock:${region}:${account}:agent/*`))),
    }, { parent: this });
    const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, {
      role: role.id,
      policy: pulumi.all([args.region, args.accountId, args.collaborators.map((c) => c.aliasArn), knowledgeBase?.arn])
        .apply(([region, account, aliasArns, knowledgeBaseArn]) => JSON.stringify(agentRolePolicy({
          modelArns: modelInvokeArns(args.model, region, account),
          collaboratorAliasArns: aliasArns,
          knowledgeBaseArn,
        }))),
    }, { parent: this });

    this.agent = new aws.bedrock.AgentAgent(`${name}-agent`, {
      agentName: args.agentName,
      agentResourceRoleArn: role.arn,
      foundationModel: args.model,
      description: agent.description,
      instruction: agent.compiledInstruction,
      idleSessionTtlInSeconds: agent.idleSessionTtlSeconds,
      agentCollaboration: isSupervisor ? agent.collaboration : 'DISABLED',
      prepareAgent: !isSupervisor,
      skipResourceInUseCheck: true,
    }, { parent: this, dependsOn: [rolePolicy] });

    const attachments = this.attachments(name, args);
    let previous: pulumi.Resource = this.agent;
    attachments.forEach(({ name: child, attach, prepares }, index) => {
      const last = index === attachments.length - 1;
      previous = attach(child, {
        parent: this,
        dependsOn: [previous],
        ...(isSupervisor && last ? { replacementTrigger: args.fingerprint, deleteBeforeReplace: true } : {}),
      }, prepares(last));
    });

    this.alias = new aws.bedrock.AgentAgentAlias(`${name}-alias`, {
      agentId: this.agent.agentId,
      agentAliasName: 'live',
      // No routingConfigurations: the alias then cuts a new version from the prepared DRAFT on every change.
      description: `revops definition ${args.fingerprint.slice(0, 16)}`,
    }, { parent: this, dependsOn: [previous] });
    this.registerOutputs({ agentId: this.agent.agentId, aliasId: this.alias.agentAliasId });
  }

  /** Attachments in the order they must happen, each saying whether it prepares the agent. */
  private attachments(name: string, args: AgentDeploymentArgs) {
    const isSupervisor = args.agent.role === 'supervisor';
    const list: Array<{ name: string; attach: Attach; prepares: (last: boolean) => boolean }> = [];
    const permission = args.toolExecutor && args.agent.actionGroups.length
      ? new aws.lambda.Permission(`${name}-invoke-tools`, {
        action: 'lambda:InvokeFunction', function: args.toolExecutor.name,
        principal: 'bedrock.amazonaws.com', sourceArn: this.agent.agentArn,
      }, { parent: this })
      : undefined;
    for (const group of args.agent.actionGroups) {
      list.push({
        name: `${name}-group-${group.name}`,
        prepares: () => !isSupervisor,
        attach: (child, opts, prepare) => new aws.bedrock.AgentAgentActionGroup(child, {
          agentId: this.agent.agentId,
          agentVersion: 'DRAFT',
          actionGroupName: group.name,
          description: group.description,
          actionGroupExecutor: { lambda: args.toolExecutor!.arn },
          functionSchema: { memberFunctions: { functions: group.tools.map((tool) => functionFor(args.tools, tool)) } },
          prepareAgent: prepare,
          skipResourceInUseCheck: true,
        }, { ...opts, dependsOn: [...asArray(opts.dependsOn), permission!] }),
      });
    }
    args.collaborators.forEach((collaborator, index) => list.push({
      name: `${name}-collaborator-${collaborator.name}`,
      // Only the last association prepares the supervisor: every collaborator is in place by then.
      prepares: () => index === args.collaborators.length - 1,
      attach: (child, opts, prepare) => new aws.bedrock.AgentAgentCollaborator(child, {
        agentId: this.agent.agentId,
        agentVersion: 'DRAFT',
        collaboratorName: collaborator.name,
        collaborationInstruction: collaborator.instruction,
        relayConversationHistory: collaborator.relayConversationHistory,
        agentDescriptor: { aliasArn: collaborator.aliasArn },
        prepareAgent: prepare,
      }, opts),
    }));
    const { knowledgeBase } = args;
    if (knowledgeBase) {
      list.push({
        name: `${name}-knowledge-base`,
        prepares: () => true,
        attach: (child, opts) => new aws.bedrock.AgentAgentKnowledgeBaseAssociation(child, {
          agentId: this.agent.agentId,
          agentVersion: 'DRAFT',
          knowledgeBaseId: knowledgeBase.id,
          description: knowledgeBase.description,
          knowledgeBaseState: 'ENABLED',
        }, opts),
      });
    }
    return list;
  }
}

const asArray = (deps: pulumi.CustomResourceOptions['dependsOn']): pulumi.Input<pulumi.Resource>[] =>
  (deps === undefined ? [] : Array.isArray(deps) ? deps : [deps as pulumi.Input<pulumi.Resource>]);

/** The Pulumi function-schema shape: parameters as a list keyed by `mapBlockKey` (the SDK uses a map). */
function functionFor(tools: ReadonlyMap<string, ManifestTool>, name: string) {
  const tool = tools.get(name);
  if (!tool) throw new InfraError('RV_INFRA_TOOLS', `action group names tool '${name}', which the manifest does not define`);
  return {
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters.map((p) => ({
      mapBlockKey: p.name, type: p.type, description: p.description, required: p.required,
    })),
    // Bedrock's CreateAgentActionGroup field (the SDK's Function.requireConfirmation); the locked @pulumi/aws
    // typings do not list it yet, so it is passed as an extra input of the function block.
    requireConfirmation: needsApproval(tool) ? 'ENABLED' : 'DISABLED',
  };
}
