import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../runtime/cli/ask.ts';
import { UsageError } from '../../compiler/cli/command.ts';
import { captureIO, tempProject } from './tempProject.ts';

let project: Awaited<ReturnType<typeof tempProject>>;
beforeAll(async () => {
  project = await tempProject();
});
afterAll(async () => project?.remove());

describe('revops ask', () => {
  it('prints the answer, then the trace tree with agents, tools, rows and durations', async () => {
    const io = captureIO(project.root);
    expect(await ask.run(['what is the status of the IXIS deal?'], io)).toBe(0);
    const [answer, trace] = io.out;
    expect(answer).toContain('**Deal Status: IXIS-Snowflake Cost Replacement**');
    expect(trace).toMatch(/^\n--- trace \(offline, \d+ ms\)\nmanager\n {2}route -> deal_analysis \(confidence [\d.]+; nearest routing examples\)\n {2}delegate -> deal_analysis \(\d+ ms\)\n {4}tool deal_lookup\(deal_name="IXIS"\) -> 1 row \(\d+ ms\)/u);
    expect(trace).toContain('answer [skill deal_status]');
    expect(io.err.join('\n')).toMatch(/seeding the sample warehouse/);
  });

  it('--json gives answer, agent, skill, trace and the conversation record', async () => {
    const io = captureIO(project.root);
    expect(await ask.run(['assess John Smith from DataCorp as a lead', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out.join(''));
    expect(out).toMatchObject({ agent: 'lead_analysis', skill: 'lead_assessment', status: 'done' });
    expect(out.answer).toMatch(/\d+\/100/);
    expect(out.trace.at(-1)).toMatchObject({ type: 'answer', agent: 'manager', text: out.answer });
    expect(out.conversation).toMatchObject({ channel: 'cli', counts: { agents: 2, tools: 2, sql_queries: 2 }, response_content: { agent: 'lead_analysis' } });
  });

  it('refuses a missing question and an unknown engine as usage errors', async () => {
    await expect(ask.run([], captureIO(project.root))).rejects.toThrow(UsageError);
    await expect(ask.run(['hi', '--engine', 'gpt'], captureIO(project.root))).rejects.toThrow(/--engine: expected one of offline, bedrock-agents, converse/);
  });
});
