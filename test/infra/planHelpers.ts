/** Helpers shared by the infra suites: plan a manifest under mocks and look resources up by type and name. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../../compiler/index.ts';
import type { Manifest } from '../../compiler/manifest.ts';
import type { ManifestKnowledge } from '../../infra/knowledgeDocuments.ts';
import { type PlanOptions, planDeployment } from '../../infra/plan/planDeployment.ts';
import type { PlannedResource } from '../../infra/plan/runUnderMocks.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const T = {
  agent: 'aws:bedrock/agentAgent:AgentAgent',
  alias: 'aws:bedrock/agentAgentAlias:AgentAgentAlias',
  collaborator: 'aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator',
  actionGroup: 'aws:bedrock/agentAgentActionGroup:AgentAgentActionGroup',
  knowledgeBase: 'aws:bedrock/agentAgentKnowledgeBaseAssociation:AgentAgentKnowledgeBaseAssociation',
  queue: 'aws:sqs/queue:Queue',
  mapping: 'aws:lambda/eventSourceMapping:EventSourceMapping',
  fn: 'aws:lambda/function:Function',
  permission: 'aws:lambda/permission:Permission',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  bucket: 'aws:s3/bucket:Bucket',
  publicAccess: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
} as const;

export async function shippedManifest(): Promise<Manifest> {
  const result = await compileProject(repoRoot);
  if (!result.manifest) throw new Error(`shipped specs do not compile: ${result.diagnostics.map((d) => d.code).join(', ')}`);
  return result.manifest;
}

export class Plan {
  constructor(readonly resources: PlannedResource[]) {}

  static async of(manifest: Manifest, options: PlanOptions = {}): Promise<Plan> {
    const run = await planDeployment(manifest, options, { bundleDir: join(repoRoot, 'dist', 'lambda'), manifestPath: join(repoRoot, 'build', 'manifest.json') });
    return new Plan(run.resources);
  }

  all(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  get(type: string, name: string): PlannedResource {
    const found = this.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}; have ${this.all(type).map((r) => r.name).join(', ')}`);
    return found;
  }

  /** True when `from` depends on `to` directly or through other resources. */
  dependsOnTransitively(from: PlannedResource, to: string): boolean {
    const seen = new Set<string>();
    const stack = [...from.dependsOn];
    while (stack.length) {
      const name = stack.pop()!;
      if (name === to) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const r of this.resources.filter((x) => x.name === name)) stack.push(...r.dependsOn);
    }
    return false;
  }
}

export const input = <T = string>(r: PlannedResource, key: string): T => r.inputs[key] as T;

/**
 * `manifest` with two knowledge documents (one for `data`, one for `deal_analysis` and `manager`) and a
 * knowledge_search tool, shaped as the compiler emits them (compiler/manifest.ts `knowledge`).
 */
export function withKnowledge(manifest: Manifest): Manifest & { knowledge: ManifestKnowledge } {
  const doc = (id: string, title: string, agents: string[]) => ({
    id, title, agents, tags: ['definitions'], source: `specs/knowledge/${id}.md`, text: `# ${title}\n\nWhat ${id} means.`, hash: id.padEnd(64, '0'),
  });
  const search = { ...manifest.tools[0]!, name: 'knowledge_search', kind: 'knowledge' as Manifest['tools'][number]['kind'], group: 'knowledge', sql: undefined };
  return {
    ...manifest,
    tools: [...manifest.tools, search],
    knowledge: { documents: [doc('opportunity-stages', 'Opportunity stages', ['deal_analysis', 'manager']), doc('warehouse-schema', 'Warehouse schema', ['data'])], hash: 'f'.repeat(64) },
  } as Manifest & { knowledge: ManifestKnowledge };
}
