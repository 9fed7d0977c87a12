/**
 * What a manifest change deploys: which agents change (each gets a new prepared version, so its alias moves), which
 * tools and channels change. Agents compare by their definition hash (`agentFingerprint`), the same value the alias
 * description carries, so this diff predicts exactly the aliases `pulumi up` will move.
 */
import { agentModel, type Manifest } from '../../compiler/manifest.ts';
import { agentFingerprint } from '../agentFingerprint.ts';

export interface NamedChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ManifestDiff {
  agents: NamedChanges;
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
    aliasesMoving: [...agents.added, ...agents.changed].sort(),
    tools: compare(before.tools, after.tools, content),
    channels: compare(before.channels, after.channels, content),
  };
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
  ].join('\n');
}
