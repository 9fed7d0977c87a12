/**
 * Issue 15, build point 3 (Converse): every agent the knowledge is attached to is offered `knowledge_search`, and a
 * scripted run that calls it gets the passage back (the local index here; Retrieve is covered in
 * test/runtime/tools/knowledge.test.ts) and hands it to the model as the tool result.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createConverseEngine } from '../../../../runtime/engines/converse/index.ts';
import { toolSetFor } from '../../../../runtime/engines/converse/toolSpecs.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let project: ShippedProject;
beforeAll(async () => {
  project = await shippedProject();
});
afterAll(() => project.close());

describe('Converse: knowledge_search', () => {
  it('is offered to every agent a knowledge document is attached to', () => {
    const attached = new Set(project.manifest.knowledge.documents.flatMap((d) => d.agents));
    expect([...attached].sort()).toEqual(['data', 'deal_analysis', 'lead_analysis', 'manager']);
    for (const name of attached) {
      const agent = project.manifest.agents.find((a) => a.name === name)!;
      expect([...toolSetFor(agent, project.manifest).byName.keys()], name).toContain('knowledge_search');
    }
  });

  it('runs the search a scripted model asks for and gives it the passage and its source', async () => {
    bedrock.on(ConverseCommand)
      .resolvesOnce(callsTool('knowledge_search', { query: 'Negotiate stage meaning' }))
      .resolvesOnce(says('Negotiate means terms are being negotiated; the standard probability is 75% (specs/knowledge/opportunity-stages.md).'));
    const engine = createConverseEngine({ manifest: project.manifest, toolbox: project.toolbox, env: {}, now: () => NOW });
    const result = await collect(engine.invoke({ agent: 'manager', text: 'what does the Negotiate stage mean?', sessionId: 'kb' }));
    expect(result.status).toBe('done');
    const toolResult = result.events.find((e) => e.type === 'tool_result');
    expect(toolResult).toMatchObject({ tool: 'knowledge_search', ok: true });
    expect(toolResult?.type === 'tool_result' && toolResult.rows?.[0]).toMatchObject({ section: 'Negotiate', source: 'specs/knowledge/opportunity-stages.md' });
    const second = bedrock.commandCalls(ConverseCommand)[1]!.args[0].input;
    const handedBack = JSON.stringify(second.messages!.at(-1)!.content);
    expect(handedBack).toContain('The Negotiate stage means commercial and legal terms are being negotiated');
    expect(handedBack).toContain('specs/knowledge/opportunity-stages.md');
  });
});
