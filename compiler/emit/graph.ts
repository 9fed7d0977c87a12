/**
 * The agent graph as text an analyst can paste into a doc or PR: channels -> supervisor -> collaborators -> tools,
 * in Mermaid (renders on GitHub) or Graphviz DOT. Agents and tools live in separate id spaces (`agent_web_search`
 * vs `tool_web_search`) because a tool may share an agent's name.
 */
import type { Manifest } from '../manifest.ts';

export type GraphFormat = 'mermaid' | 'dot';

interface Edge {
  from: string;
  to: string;
}

interface Graph {
  nodes: Array<{ id: string; label: string; kind: 'channel' | 'supervisor' | 'collaborator' | 'tool' }>;
  edges: Edge[];
}

function graphOf(manifest: Manifest): Graph {
  const agentIds = (name: string) => `agent_${name}`;
  const nodes: Graph['nodes'] = [
    ...manifest.channels.map((c) => ({ id: `channel_${c.name}`, label: `${c.name} (${c.kind})`, kind: 'channel' as const })),
    ...manifest.agents.map((a) => ({ id: agentIds(a.name), label: a.name, kind: a.role })),
    ...manifest.tools.map((t) => ({ id: `tool_${t.name}`, label: t.name, kind: 'tool' as const })),
  ];
  const edges: Edge[] = [
    ...manifest.channels.map((c) => ({ from: `channel_${c.name}`, to: agentIds(c.entry) })),
    ...manifest.agents.flatMap((a) => [
      ...a.collaborators.map((c) => ({ from: agentIds(a.name), to: agentIds(c.agent) })),
      ...a.tools.map((t) => ({ from: agentIds(a.name), to: `tool_${t}` })),
    ]),
  ];
  return { nodes, edges };
}

const MERMAID_SHAPE = {
  channel: (label: string) => `(["${label}"])`,
  supervisor: (label: string) => `[["${label}"]]`,
  collaborator: (label: string) => `["${label}"]`,
  tool: (label: string) => `{{"${label}"}}`,
};

const DOT_SHAPE = { channel: 'oval', supervisor: 'doubleoctagon', collaborator: 'box', tool: 'component' };

export function renderGraph(manifest: Manifest, format: GraphFormat): string {
  const { nodes, edges } = graphOf(manifest);
  if (format === 'mermaid') {
    return ['flowchart LR', ...nodes.map((n) => `  ${n.id}${MERMAID_SHAPE[n.kind](n.label)}`),
      ...edges.map((e) => `  ${e.from} --> ${e.to}`)].join('\n');
  }
  return ['digraph revops {', '  rankdir=LR;',
    ...nodes.map((n) => `  "${n.id}" [label="${n.label}", shape=${DOT_SHAPE[n.kind]}];`),
    ...edges.map((e) => `  "${e.from}" -> "${e.to}";`), '}'].join('\n');
}
