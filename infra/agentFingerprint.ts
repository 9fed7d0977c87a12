/**
 * A per-agent definition hash: what the agent's deployed version depends on (its own fields, the tools of its
 * action groups, the resolved model, the knowledge base). It goes into the alias description, so the alias cuts a
 * new version exactly when its agent changed — an alias whose inputs never change never picks up a new version
 * (DESIGN.md, Bedrock facts) — while untouched agents keep serving their current version.
 */
import { createHash } from 'node:crypto';
import type { Manifest, ManifestAgent } from '../compiler/manifest.ts';
import { usesKnowledgeBase } from './knowledgeDocuments.ts';

export interface AgentDeploySettings {
  model: string;
  /** The named knowledge base's id, or a stable mark for the one the program builds (its id is known only later). */
  knowledgeBaseId?: string;
}

/** Drops `source` (a file path for messages) so moving a spec file does not cut versions. */
const withoutSource = <T extends { source: string }>({ source: _source, ...rest }: T) => rest;

export function agentFingerprint(manifest: Manifest, agent: ManifestAgent, settings: AgentDeploySettings): string {
  const toolNames = new Set(agent.actionGroups.flatMap((g) => g.tools));
  const tools = manifest.tools.filter((t) => toolNames.has(t.name)).map(withoutSource);
  const deployed = {
    agent: withoutSource(agent),
    tools,
    model: settings.model,
    knowledgeBaseId: usesKnowledgeBase(manifest, agent) ? settings.knowledgeBaseId ?? null : null,
  };
  return createHash('sha256').update(JSON.stringify(deployed)).digest('hex');
}

/** The model an agent runs: its own, else the stack's override, else the manifest default. */
export const modelFor = (manifest: Manifest, agent: ManifestAgent, stackModel?: string): string =>
  agent.model ?? stackModel ?? manifest.defaults.model;
