/**
 * Converse and approvals (issue 13), with a scripted model: a collaborator's write call suspends the run (nothing
 * runs, the frames are plain JSON for the pending store), the approvals service performs the approved call once,
 * and the run resumes with the tool's real result handed to the model that asked, then its answer to the supervisor.
 */
import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApprovals } from '../../../../runtime/approvals/approvals.ts';
import { createMemoryAuditLog } from '../../../../runtime/approvals/auditLog.ts';
import { createMemoryPendingStore } from '../../../../runtime/approvals/pendingStore.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createConverseEngine } from '../../../../runtime/engines/converse/index.ts';
import type { ApprovalNeededEvent } from '../../../../runtime/engines/trace.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let project: ShippedProject;
beforeAll(async () => {
  project = await shippedProject();
});
afterAll(() => project.close());
beforeEach(() => bedrock.reset());

const QUESTION = 'set the next step on the TechFlow deal to security review';
const WRITE = { table: 'opportunities', operation: 'update', key: '{"id":"OPP-TECHFLOW-01"}', values: '{"next_step":"security review"}' };
const sent = (): ConverseCommandInput[] => bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);

async function suspended() {
  const engine = createConverseEngine({ manifest: project.manifest, toolbox: project.toolbox, env: {}, now: () => NOW });
  bedrock.on(ConverseCommand)
    .resolvesOnce(callsTool('execution', { request: 'Set the TechFlow next step to security review' }))
    .resolvesOnce(callsTool('firebolt_writer', WRITE))
    .resolvesOnce(says('The next step of TechFlow Migration is now "security review".'))
    .resolvesOnce(says('Done: TechFlow Migration\'s next step is "security review".'));
  const first = await collect(engine.invoke({ agent: 'manager', text: QUESTION, sessionId: 's1' }));
  const wanted = first.events.find((e): e is ApprovalNeededEvent => e.type === 'approval_needed')!;
  return { engine, first, wanted };
}

describe('Converse engine: a write waits for approval, then resumes with the real result', () => {
  it('suspends without running the tool, and resumes the collaborator with the performed call\'s result', async () => {
    const { engine, first, wanted } = await suspended();
    expect(first.status).toBe('done');
    expect(wanted).toMatchObject({ tool: 'firebolt_writer', parameters: WRITE });
    expect(first.events.some((e) => e.type === 'tool_call' && e.tool === 'firebolt_writer')).toBe(false);
    expect(sent()).toHaveLength(2);

    const approvals = createApprovals({
      store: createMemoryPendingStore(), audit: createMemoryAuditLog(), toolbox: project.toolbox, channels: project.manifest.channels,
      context: { warehouse: project.warehouse, env: {}, now: () => NOW }, now: () => NOW,
    });
    const proposed = await approvals.propose({
      tool: wanted.tool, params: wanted.parameters, asker: { id: 'U1', label: '<@U1>' },
      origin: { id: 'c1', channel: 'slack', text: QUESTION, sessionId: 's1' }, resume: JSON.parse(JSON.stringify(wanted.resume)),
    });
    if (!proposed.ok) throw new Error(proposed.reason);
    const decided = await approvals.decide(proposed.action.id, { approve: true, by: 'U1', decisionId: 'd1', at: NOW.toISOString() });
    expect(decided).toMatchObject({ kind: 'performed', action: { status: 'done', outcome: { ok: true, text: 'Updated 1 row in opportunities.' } } });

    const toolUseId = wanted.callId;
    const resumed = await collect(engine.resume!({
      agent: 'manager', text: QUESTION, sessionId: 's1', state: proposed.action.resume, approved: true, actionId: proposed.action.id,
      result: { ok: true, text: 'Updated 1 row in opportunities.' },
    }));
    expect(resumed).toMatchObject({ status: 'done', answer: 'Done: TechFlow Migration\'s next step is "security review".' });
    const requests = sent();
    expect(requests).toHaveLength(4);
    // The collaborator's model gets the real result for the very call it made...
    expect(requests[2]!.messages!.at(-1)).toEqual({ role: 'user', content: [{ toolResult: { toolUseId, status: 'success', content: [{ text: 'Updated 1 row in opportunities.' }] } }] });
    // ...and the supervisor its collaborator's answer.
    expect(JSON.stringify(requests[3]!.messages!.at(-1))).toContain('security review');
  });

  it('a denied call goes back to the model as not done', async () => {
    const { engine, wanted } = await suspended();
    await collect(engine.resume!({ agent: 'manager', text: QUESTION, sessionId: 's1', state: wanted.resume, approved: false, actionId: 'a1' }));
    const block = sent()[2]!.messages!.at(-1)!.content![0]!.toolResult!;
    expect(block).toMatchObject({ toolUseId: wanted.callId, status: 'error' });
    expect(block.content![0]!.text).toMatch(/declined it; nothing was done/u);
  });
});
