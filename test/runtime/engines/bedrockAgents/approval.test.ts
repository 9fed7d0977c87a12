/**
 * Bedrock Agents and approvals (issue 13), with a mocked client: a confirmation request (`returnControl` for a
 * function deployed with requireConfirmation) becomes the same approval_needed event as every engine's; the
 * decision goes back as a CONFIRM or DENY of that invocation, carrying the action id; and the action-group Lambda
 * answers a confirmed write with the performed action's recorded result, never running the tool itself.
 */
import { BedrockAgentRuntimeClient, InvokeAgentCommand, type ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Manifest, ManifestTool } from '../../../../compiler/manifest.ts';
import { createBedrockAgentsEngine } from '../../../../runtime/engines/bedrockAgents/index.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { handleActionGroupEvent } from '../../../../runtime/tools/actionGroupHandler.ts';
import type { Toolbox } from '../../../../runtime/tools/toolbox.ts';
import { chunk, streamOf } from './streams.ts';

const NOW = new Date('2025-11-14T09:00:00Z');
const manifest = { defaults: { model: 'm', idleSessionTtlSeconds: 600, fiscalYearStartMonth: 1 } } as Manifest;
const ENV = { REVOPS_AGENT_ID: 'SUPAGENT01', REVOPS_AGENT_ALIAS_ID: 'ALIAS00001', AWS_REGION: 'us-east-1' };
const bedrock = mockClient(BedrockAgentRuntimeClient);
beforeEach(() => bedrock.reset());

const engine = () => createBedrockAgentsEngine({ manifest, toolbox: {} as Toolbox, env: ENV, now: () => NOW });
const response = (items: ResponseStream[]) => ({ completion: streamOf(items), contentType: 'application/json', sessionId: 's' });
const confirmation: ResponseStream = {
  returnControl: {
    invocationId: 'inv-0001',
    invocationInputs: [{ functionInvocationInput: {
      actionGroup: 'crm_writes', function: 'firebolt_writer', actionInvocationType: 'USER_CONFIRMATION',
      parameters: [{ name: 'table', type: 'string', value: 'opportunities' }, { name: 'values', type: 'string', value: '{"next_step":"security review"}' }],
    } }],
  },
};

describe('Bedrock Agents: confirmation both ways', () => {
  it('maps a confirmation request to approval_needed, then answers it CONFIRM with the action id', async () => {
    bedrock.on(InvokeAgentCommand).resolvesOnce(response([confirmation])).resolvesOnce(response([chunk('The next step is now "security review".')]));
    const first = await collect(engine().invoke({ agent: 'manager', text: 'set the TechFlow next step to security review', sessionId: 'C1:1.0' }));
    expect(first.status).toBe('done');
    const wanted = first.events.find((e) => e.type === 'approval_needed');
    expect(wanted).toMatchObject({
      tool: 'firebolt_writer', callId: 'inv-0001', parameters: { table: 'opportunities', values: '{"next_step":"security review"}' },
      resume: { invocationId: 'inv-0001', actionGroup: 'crm_writes', function: 'firebolt_writer' },
    });
    const resumed = await collect(engine().resume!({
      agent: 'manager', text: 'set the TechFlow next step to security review', sessionId: 'C1:1.0', state: (wanted as { resume: unknown }).resume,
      approved: true, actionId: 'act-1', result: { ok: true, text: 'Updated 1 row in opportunities.' },
    }));
    expect(resumed).toMatchObject({ status: 'done', answer: 'The next step is now "security review".' });
    const [, second] = bedrock.commandCalls(InvokeAgentCommand).map((c) => c.args[0].input);
    expect(second).toMatchObject({ agentId: 'SUPAGENT01', agentAliasId: 'ALIAS00001', sessionId: 'C1:1.0', sessionState: {
      invocationId: 'inv-0001', sessionAttributes: { revops_action_id: 'act-1' },
      returnControlInvocationResults: [{ functionResult: { actionGroup: 'crm_writes', function: 'firebolt_writer', confirmationState: 'CONFIRM' } }],
    } });
    expect(second!.inputText).toBeUndefined();
  });

  it('answers a denied action DENY', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([chunk('Understood, nothing was changed.')]));
    await collect(engine().resume!({
      agent: 'manager', text: 'q', sessionId: 'C1:1.0', state: { invocationId: 'inv-0002', actionGroup: 'crm_writes', function: 'firebolt_writer' },
      approved: false, actionId: 'act-2',
    }));
    const [input] = bedrock.commandCalls(InvokeAgentCommand).map((c) => c.args[0].input);
    expect(input!.sessionState!.returnControlInvocationResults![0]).toEqual({ functionResult: { actionGroup: 'crm_writes', function: 'firebolt_writer', confirmationState: 'DENY' } });
  });
});

describe('the action-group Lambda for a confirmed write', () => {
  const writer = { name: 'firebolt_writer', kind: 'sql_write', group: 'crm_writes', effect: 'write', approval: 'required', parameters: [] } as unknown as ManifestTool;
  let performed = 0;
  const toolbox: Toolbox = {
    tools: [writer],
    run: async () => { performed += 1; throw new Error('the Lambda never runs a write itself'); },
    perform: async () => { performed += 1; throw new Error('the Lambda never runs a write itself'); },
  };
  const event = (sessionAttributes: Record<string, string>) => ({
    messageVersion: '1.0', agent: { name: 'execution', id: 'A', alias: 'L', version: '1' }, inputText: 'x', sessionId: 's',
    actionGroup: 'crm_writes', function: 'firebolt_writer', parameters: [{ name: 'table', type: 'string', value: 'opportunities' }],
    sessionAttributes, promptSessionAttributes: {},
  });
  const actions = async (id: string) => (id === 'act-1' ? { tool: 'firebolt_writer', status: 'done', outcome: { ok: true, text: 'Updated 1 row in opportunities.' } } : undefined);

  it('returns the performed action\'s result, and refuses a call no approved action stands behind', async () => {
    const confirmed = await handleActionGroupEvent(event({ revops_action_id: 'act-1' }), toolbox, { actions });
    expect(confirmed.response.functionResponse).toEqual({ responseBody: { TEXT: { body: 'Updated 1 row in opportunities.' } } });
    const unapproved = await handleActionGroupEvent(event({}), toolbox, { actions });
    expect(unapproved.response.functionResponse.responseState).toBe('REPROMPT');
    expect(unapproved.response.functionResponse.responseBody.TEXT.body).toMatch(/^Error \(approval_required\)/u);
    expect(performed).toBe(0);
  });
});
