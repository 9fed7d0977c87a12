/**
 * The Bedrock Agents requests a manifest agent implies, typed against @aws-sdk/client-bedrock-agent. Ids and ARNs
 * exist only at deploy time, so they are `${…}` placeholders the deployer substitutes. Collaborators are listed in
 * spec order: they must be associated one after another (in parallel they fail while the agent is PREPARING).
 */
import type {
  AssociateAgentCollaboratorRequest,
  AssociateAgentKnowledgeBaseRequest,
  CreateAgentActionGroupRequest,
  CreateAgentAliasRequest,
  CreateAgentRequest,
} from '@aws-sdk/client-bedrock-agent';
import { needsApproval, type Manifest, type ManifestAgent } from '../manifest.ts';

export interface BedrockAgentRequests {
  createAgent: CreateAgentRequest;
  actionGroups: CreateAgentActionGroupRequest[];
  collaborators: AssociateAgentCollaboratorRequest[];
  knowledgeBases: AssociateAgentKnowledgeBaseRequest[];
  alias: CreateAgentAliasRequest;
}

export const placeholder = {
  roleArn: '${roleArn}',
  agentId: (agent: string) => `\${agentId:${agent}}`,
  aliasArn: (agent: string) => `\${aliasArn:${agent}}`,
  toolExecutorArn: '${toolExecutorLambdaArn}',
  knowledgeBaseId: '${knowledgeBaseId}',
} as const;

/** The alias every agent is served through; never the draft alias TSTALIASID. */
export const ALIAS_NAME = 'live';
const DRAFT = 'DRAFT';

export function bedrockRequests(agent: ManifestAgent, manifest: Manifest): BedrockAgentRequests {
  const agentId = placeholder.agentId(agent.name);
  const tools = new Map(manifest.tools.map((t) => [t.name, t]));
  return {
    createAgent: {
      agentName: agent.name,
      instruction: agent.compiledInstruction,
      foundationModel: agent.model ?? manifest.defaults.model,
      description: agent.description,
      idleSessionTTLInSeconds: agent.idleSessionTtlSeconds,
      agentCollaboration: agent.collaboration,
      agentResourceRoleArn: placeholder.roleArn,
    },
    actionGroups: agent.actionGroups.map((group) => ({
      agentId,
      agentVersion: DRAFT,
      actionGroupName: group.name,
      description: group.description,
      actionGroupState: 'ENABLED',
      actionGroupExecutor: { lambda: placeholder.toolExecutorArn },
      functionSchema: {
        functions: group.tools.map((name) => {
          const tool = tools.get(name)!;
          return {
            name,
            description: tool.description,
            parameters: Object.fromEntries(tool.parameters.map((p) => [p.name, { description: p.description, type: p.type, required: p.required }])),
            // The agent stops and returns control before the call; the runtime turns that into its pending action.
            requireConfirmation: needsApproval(tool) ? 'ENABLED' : 'DISABLED',
          };
        }),
      },
    })),
    collaborators: agent.collaborators.map((c) => ({
      agentId,
      agentVersion: DRAFT,
      agentDescriptor: { aliasArn: placeholder.aliasArn(c.agent) },
      collaboratorName: c.agent,
      collaborationInstruction: c.instruction,
      relayConversationHistory: c.relayConversationHistory,
    })),
    knowledgeBases: agent.knowledgeBase
      ? [{ agentId, agentVersion: DRAFT, knowledgeBaseId: placeholder.knowledgeBaseId, description: agent.knowledgeBase.description, knowledgeBaseState: 'ENABLED' }]
      : [],
    // The hash in the description makes the alias cut a new version exactly when something deployable changed.
    // No routingConfiguration: Bedrock then points the alias at the version it creates.
    alias: { agentId, agentAliasName: ALIAS_NAME, description: `manifest ${manifest.hash}` },
  };
}

export function bedrockForManifest(manifest: Manifest): Record<string, BedrockAgentRequests> {
  return Object.fromEntries(manifest.agents.map((agent) => [agent.name, bedrockRequests(agent, manifest)]));
}
