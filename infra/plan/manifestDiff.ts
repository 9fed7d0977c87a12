/**
 * What a manifest change deploys: which agents change (each gets a new prepared version, so its alias moves), which
 * tools and channels change. Agents compare by their definition hash (`agentFingerprint`), the same value the alias
 * description carries, so this diff predicts exactly the aliases `pulumi up` will move.
 *
 * Removals need a step after `pulumi up`: Pulumi deletes a removed action group, collaborator association or
 * knowledge-base association at the end of the update, after the alias already cut its new version from a DRAFT
 * that still had it. The diff lists them with the commands that prepare the DRAFT again and move the alias.
 */
import { agentModel, type Manifest } from '../../compiler/manifest.ts';
import { agentFingerprint } from '../agentFingerprint.ts';

export interface NamedChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What an agent kept in `pulumi up`'s new version although the specs removed it. */
export interface StaleAttachments {
  agent: string;
  actionGroups: string[];
  collaborators: string[];
  knowledgeBase: boolean;
}

export interface ManifestDiff {
  agents: NamedChanges;
  /** Agents whose new version still carries a removed attachment, and what it is. */
  staleAfterUp: StaleAttachments[];
  /** Agents whose alias moves to a new version: changed and added ones. */
  aliasesMoving: string[];
  tools: NamedChanges;
  channels: NamedChanges;
}

export interface DiffSettings {
  stackModel?: string;
  knowledgeBaseId?: string;
}

function compare<T extends { name: string }>(before: T[], after: T[], key: (item: T) => string): NamedChanges {
  const old = new Map(before.map((i) => [i.name, key(i)]));
  const now = new Map(after.map((i) => [i.name, key(i)]));
  return {
    added: [...now.keys()].filter((n) => !old.has(n)).sort(),
    removed: [...old.keys()].filter((n) => !now.has(n)).sort(),
    changed: [...now].filter(([n, k]) => old.has(n) && old.get(n) !== k).map(([n]) => n).sort(),
  };
}

const content = ({ source: _source, ...rest }: { source: string }) => JSON.stringify(rest);

export function diffManifests(before: Manifest, after: Manifest, settings: DiffSettings = {}): ManifestDiff {
  const fingerprint = (manifest: Manifest) => (agent: Manifest['agents'][number]) => agentFingerprint(manifest, agent,
    { model: agentModel(manifest, agent, settings.stackModel), knowledgeBaseId: settings.knowledgeBaseId });
  const oldAgents = new Map(before.agents.map((a) => [a.name, fingerprint(before)(a)]));
  const agents = {
    ...compare(before.agents, after.agents, fingerprint(after)),
    changed: after.agents.filter((a) => oldAgents.has(a.name) && oldAgents.get(a.name) !== fingerprint(after)(a))
      .map((a) => a.name).sort(),
  };
  return {
    agents,
    staleAfterUp: staleAttachments(before, after),
    aliasesMoving: [...agents.added, ...agents.changed].sort(),
    tools: compare(before.tools, after.tools, content),
    channels: compare(before.channels, after.channels, content),
  };
}

function staleAttachments(before: Manifest, after: Manifest): StaleAttachments[] {
  const old = new Map(before.agents.map((a) => [a.name, a]));
  return after.agents.flatMap((agent) => {
    const was = old.get(agent.name);
    if (!was) return [];
    const gone = (then: string[], now: string[]) => then.filter((n) => !now.includes(n)).sort();
    const stale = {
      agent: agent.name,
      actionGroups: gone(was.actionGroups.map((g) => g.name), agent.actionGroups.map((g) => g.name)),
      collaborators: gone(was.collaborators.map((c) => c.agent), agent.collaborators.map((c) => c.agent)),
      knowledgeBase: Boolean(was.knowledgeBase) && !agent.knowledgeBase,
    };
    return stale.actionGroups.length || stale.collaborators.length || stale.knowledgeBase ? [stale] : [];
  });
}

/** The commands that prepare an agent's DRAFT without what was removed and point its alias at a new version. */
export function afterUpCommands(agent: string): string[] {
  const ids = `agents | jq -r '.["${agent}"]`;
  return [
    `AGENT_ID=$(pulumi stack output ${ids}.agentId'); ALIAS_ID=$(pulumi stack output ${ids}.aliasId')`,
    'aws bedrock-agent prepare-agent --agent-id "$AGENT_ID"   # wait until get-agent says PREPARED',
    'aws bedrock-agent update-agent-alias --agent-id "$AGENT_ID" --agent-alias-id "$ALIAS_ID" --agent-alias-name live',
  ];
}

function renderStale(stale: StaleAttachments[]): string[] {
  if (!stale.length) return [];
  return ['after `pulumi up`, these agents\' new versions still carry what the specs removed (Pulumi deletes it last):',
    ...stale.flatMap((s) => [
      `  ${s.agent}: ${[...s.actionGroups.map((g) => `action group ${g}`), ...s.collaborators.map((c) => `collaborator ${c}`),
        ...(s.knowledgeBase ? ['knowledge base'] : [])].join(', ')}; then run:`,
      ...afterUpCommands(s.agent).map((c) => `    ${c}`),
    ])];
}

export function renderDiff(diff: ManifestDiff): string {
  const list = (names: string[]) => (names.length ? names.join(', ') : '-');
  const section = (title: string, c: NamedChanges) =>
    [`${title}:`, `  added:   ${list(c.added)}`, `  removed: ${list(c.removed)}`, `  changed: ${list(c.changed)}`];
  return [
    ...section('agents (changed ones get a new version and are prepared again)', diff.agents),
    `aliases moving to a new version: ${list(diff.aliasesMoving)}`,
    ...section('tools', diff.tools),
    ...section('channels', diff.channels),
    ...renderStale(diff.staleAfterUp),
  ].join('\n');
}
