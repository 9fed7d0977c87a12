/**
 * What the Converse engine offers a model as tools, built from the manifest so prompts and schemas cannot drift
 * (the seed's schemas lived only in the console): each manifest tool with a JSON schema of its parameters, and
 * for a supervisor one tool per collaborator taking `{request}`. Converse tool names must match
 * `^[a-zA-Z0-9_-]{1,64}$` (ToolSpecification.name); manifest names allow 100 characters, so longer or colliding
 * names get a stable hashed form and the returned map leads back to the original.
 */
import { createHash } from 'node:crypto';
import type { Tool, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import type { Manifest, ManifestAgent, ManifestParameter, ManifestTool } from '../../../compiler/manifest.ts';

export type Offered = { kind: 'tool'; tool: ManifestTool } | { kind: 'collaborator'; agent: ManifestAgent };

export interface ToolSet {
  /** Empty when the agent has nothing to call (Converse refuses an empty tool list). */
  specs: Tool[];
  /** Converse tool name -> what it runs. */
  byName: Map<string, Offered>;
}

/** The SDK's document type for a JSON schema, named through the client's own types. */
type DocumentType = Extract<ToolInputSchema, { json: unknown }>['json'];

const LEGAL = /^[a-zA-Z0-9_-]{1,64}$/u;

export function toolNameFor(name: string, taken: ReadonlySet<string>): string {
  if (LEGAL.test(name) && !taken.has(name)) return name;
  const base = name.replace(/[^a-zA-Z0-9_-]+/gu, '_').slice(0, 54);
  return `${base}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

export function parameterSchema(parameters: readonly ManifestParameter[]): DocumentType {
  const properties = Object.fromEntries(parameters.map((p) => [p.name, {
    type: p.type,
    description: p.description,
    ...(p.type === 'array' ? { items: { type: 'string' } } : {}),
    ...(p.enum ? { enum: p.enum } : {}),
    ...(p.default !== undefined ? { default: p.default } : {}),
  }]));
  return { type: 'object', properties, required: parameters.filter((p) => p.required).map((p) => p.name) };
}

const REQUEST_SCHEMA: DocumentType = {
  type: 'object',
  properties: { request: { type: 'string', description: 'The request for this agent, with every name, date (YYYY-MM-DD) and figure it needs.' } },
  required: ['request'],
};

/** Collaborators first (they keep their own names), then the agent's own tools. */
export function toolSetFor(agent: ManifestAgent, manifest: Manifest): ToolSet {
  const byName = new Map<string, Offered>();
  const specs: Tool[] = [];
  const agents = new Map(manifest.agents.map((a) => [a.name, a]));
  const tools = new Map(manifest.tools.map((t) => [t.name, t]));
  for (const c of agent.collaborators) {
    const collaborator = agents.get(c.agent);
    if (!collaborator) continue;
    const name = toolNameFor(collaborator.name, new Set(byName.keys()));
    byName.set(name, { kind: 'collaborator', agent: collaborator });
    specs.push({ toolSpec: { name, description: `${collaborator.description}\n\nWhen to use: ${c.instruction}`, inputSchema: { json: REQUEST_SCHEMA } } });
  }
  for (const toolName of agent.tools) {
    const tool = tools.get(toolName);
    if (!tool) continue;
    const name = toolNameFor(tool.name, new Set(byName.keys()));
    byName.set(name, { kind: 'tool', tool });
    specs.push({ toolSpec: { name, description: tool.description, inputSchema: { json: parameterSchema(tool.parameters) } } });
  }
  return { specs, byName };
}
