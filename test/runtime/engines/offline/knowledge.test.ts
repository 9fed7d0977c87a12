/**
 * Issue 15, build point 3 (offline): definitional questions are answered from the shipped knowledge documents with
 * the passage and its source file, by the supervisor itself; questions about data still route to the collaborators;
 * and a skill step can retrieve through the `knowledge` tool like any other tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createOfflineEngine } from '../../../../runtime/engines/offline/index.ts';
import { NOW, seedProject, type SeededProject } from './seedProject.ts';

let project: SeededProject;
beforeAll(async () => {
  project = await seedProject({ scale: 300 });
}, 120_000);
afterAll(async () => project?.close());

const ask = async (text: string, agent = 'manager') => collect(project.engine.invoke({ agent, text, sessionId: `k-${text}` }));

describe('definitions from the knowledge documents', () => {
  it.each([
    ['what does the Negotiate stage mean?', 'specs/knowledge/opportunity-stages.md', /Negotiate stage means commercial and legal terms[\s\S]*Standard probability 75%/],
    ['how is ICP fit scored?', 'specs/knowledge/ideal-customer-profile.md', /title tier: 20 high, 12 medium, 4 low[\s\S]*HIGH\*\* at 75 or more/],
    ['define weighted pipeline', 'specs/knowledge/pipeline-definitions.md', /amount × probability \/ 100/],
    ['what are our churn bands?', 'specs/knowledge/churn-risk.md', /Critical\*\*: 76 to 100/],
  ])('%s', async (question, source, passage) => {
    const result = await ask(question);
    expect(result.status).toBe('done');
    expect(result.agent).toBe('manager');
    expect(result.answer).toMatch(passage);
    expect(result.answer).toContain(`Source: ${source}`);
    expect(result.answer).not.toMatch(/\]\((tool|metric|agent|knowledge):/);
    const call = result.events.find((e) => e.type === 'tool_call');
    expect(call).toMatchObject({ tool: 'knowledge_search', parameters: { query: question } });
    expect(result.events.find((e) => e.type === 'route')).toMatchObject({ target: 'manager' });
  });

  it('still routes a data question that only sounds like one to its collaborator', async () => {
    const result = await ask('what does our pipeline look like this quarter?');
    expect(result.agent).toBe('data');
    expect(result.events.some((e) => e.type === 'tool_call' && e.tool === 'knowledge_search')).toBe(false);
  });

  it('lets a skill step retrieve a passage', async () => {
    const patch = (m: Manifest): Manifest => ({
      ...m,
      agents: m.agents.map((a) => (a.name !== 'data' ? a : {
        ...a,
        skills: [...a.skills, {
          name: 'stage_guide', examples: ['what should happen in the negotiation stage'],
          steps: [{ tool: 'knowledge_search', with: { query: 'Negotiate stage' }, optional: false }],
          answer: '{{ knowledge_search.rows[0].passage }} (from {{ knowledge_search.rows[0].source }})',
        }],
      })),
    });
    const manifest = patch(project.manifest);
    const engine = await createOfflineEngine({ manifest, toolbox: project.toolbox, warehouse: project.warehouse, now: () => NOW });
    const result = await collect(engine.invoke({ agent: 'data', text: 'what should happen in the negotiation stage', sessionId: 'skill-step' }));
    expect(result.skill).toBe('stage_guide');
    expect(result.answer).toMatch(/Negotiate stage means[\s\S]*\(from specs\/knowledge\/opportunity-stages\.md\)/);
  });
});
