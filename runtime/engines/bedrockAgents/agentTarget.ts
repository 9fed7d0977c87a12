/**
 * Which deployed agent alias to invoke. From the environment (`REVOPS_AGENT_ID` + `REVOPS_AGENT_ALIAS_ID`, what the
 * Pulumi program sets on each channel's processor for its entry agent), else from the deploy outputs file
 * (`pulumi stack output --json > build/stack-outputs.json`; its `agents` output maps agent name -> {agentId,
 * aliasId}; `REVOPS_STACK_OUTPUTS` names another file). The draft alias `TSTALIASID` is refused: it serves the
 * unversioned DRAFT, which changes under live traffic (the seed's webhook path used it).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodedError } from '../../../compiler/codedError.ts';

export interface AgentTarget {
  agentId: string;
  agentAliasId: string;
}

export const DEFAULT_STACK_OUTPUTS = 'build/stack-outputs.json';
const DRAFT_ALIAS = 'TSTALIASID';

export class AgentTargetError extends CodedError<'agent_not_configured' | 'agent_not_deployed' | 'draft_alias_refused' | 'stack_outputs_invalid'> {
  override readonly name = 'AgentTargetError';
}

/** Returns a lookup by entry-agent name; throws AgentTargetError when neither source is usable. */
export function agentTargets(env: Record<string, string | undefined>, cwd: string, readText = (p: string) => readFileSync(p, 'utf8')): (agent: string) => AgentTarget {
  const agentId = env.REVOPS_AGENT_ID?.trim();
  const agentAliasId = env.REVOPS_AGENT_ALIAS_ID?.trim();
  if (agentId || agentAliasId) {
    if (!agentId || !agentAliasId) {
      throw new AgentTargetError('agent_not_configured', `Set both REVOPS_AGENT_ID and REVOPS_AGENT_ALIAS_ID (only ${agentId ? 'REVOPS_AGENT_ID' : 'REVOPS_AGENT_ALIAS_ID'} is set).`);
    }
    const target = checked({ agentId, agentAliasId }, 'REVOPS_AGENT_ALIAS_ID');
    return () => target;
  }
  const path = resolve(cwd, env.REVOPS_STACK_OUTPUTS?.trim() || DEFAULT_STACK_OUTPUTS);
  let text: string;
  try {
    text = readText(path);
  } catch (cause) {
    throw new AgentTargetError('agent_not_configured',
      `No deployed agent to invoke: set REVOPS_AGENT_ID and REVOPS_AGENT_ALIAS_ID, or write the deploy outputs to ${path} (pulumi stack output --json > ${DEFAULT_STACK_OUTPUTS}; REVOPS_STACK_OUTPUTS names another file).`,
      { cause });
  }
  const agents = parseAgents(text, path);
  return (agent) => {
    const entry = agents[agent];
    if (!entry) {
      throw new AgentTargetError('agent_not_deployed',
        `${path} lists no deployed agent named ${agent} (it has: ${Object.keys(agents).join(', ') || 'none'}); run pulumi up and write the outputs again.`);
    }
    return checked({ agentId: entry.agentId, agentAliasId: entry.aliasId }, `${path} agents.${agent}.aliasId`);
  };
}

function parseAgents(text: string, path: string): Record<string, { agentId: string; aliasId: string }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new AgentTargetError('stack_outputs_invalid', `${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const agents = (data as { agents?: unknown } | null)?.agents;
  const valid = agents && typeof agents === 'object' && Object.values(agents).every((a) =>
    typeof (a as { agentId?: unknown })?.agentId === 'string' && typeof (a as { aliasId?: unknown })?.aliasId === 'string');
  if (!valid) {
    throw new AgentTargetError('stack_outputs_invalid', `${path}: field "agents" must map agent names to {agentId, aliasId} (the Pulumi program's "agents" output).`);
  }
  return agents as Record<string, { agentId: string; aliasId: string }>;
}

function checked(target: AgentTarget, field: string): AgentTarget {
  if (target.agentAliasId === DRAFT_ALIAS) {
    throw new AgentTargetError('draft_alias_refused', `${field} is the draft alias ${DRAFT_ALIAS}; use the versioned alias the deploy created (pulumi stack output agents).`);
  }
  return target;
}
