/**
 * Issue 15: a Converse follow-up works on another processor instance (another Lambda container, a restarted
 * server) when both share one conversation store. Two engines, one file store, a scripted model: the second
 * instance's first model call carries the first instance's turn.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createConverseEngine } from '../../../../runtime/engines/converse/index.ts';
import { createFileSessionBackend } from '../../../../runtime/sessions/fileBackend.ts';
import { createSessionStore } from '../../../../runtime/sessions/sessionStore.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let project: ShippedProject;
let dir: string;
beforeAll(async () => {
  project = await shippedProject();
  dir = await mkdtemp(join(tmpdir(), 'revops-converse-sessions-'));
});
afterAll(async () => {
  await project.close();
  await rm(dir, { recursive: true, force: true });
});

/** A processor instance of its own: its own engine, its own handle on the shared store's folder. */
async function instance() {
  const sessions = createSessionStore(await createFileSessionBackend(dir, { ttlSeconds: 600 }), { ttlSeconds: 600 });
  return createConverseEngine({ manifest: project.manifest, toolbox: project.toolbox, env: {}, now: () => NOW, sessions });
}

describe('Converse sessions across processor instances', () => {
  it('gives the second instance the first instance\'s turn for the follow-up', async () => {
    const key = 'slack:T1:C1:1700000000.000100';
    const status = 'IXIS-Snowflake Cost Replacement is in Negotiate at 75%, closing Dec 31.';
    bedrock.on(ConverseCommand)
      .resolvesOnce(callsTool('deal_analysis', { request: 'Status of the IXIS deal' }))
      .resolvesOnce(callsTool('deal_lookup', { deal_name: 'IXIS' }))
      .resolvesOnce(says(status)).resolvesOnce(says(status))
      .resolvesOnce(says('The IXIS risks: procurement timing and a competing Databricks bid.'));
    const first = await collect((await instance()).invoke({ agent: 'manager', text: 'what is the status of the IXIS deal?', sessionId: key }));
    expect(first.status).toBe('done');
    const second = await collect((await instance()).invoke({ agent: 'manager', text: 'and what are its risks?', sessionId: key }));
    expect(second.answer).toContain('IXIS');
    const followUp = bedrock.commandCalls(ConverseCommand).at(-1)!.args[0].input;
    expect(followUp.messages).toEqual([
      { role: 'user', content: [{ text: 'what is the status of the IXIS deal?' }] },
      { role: 'assistant', content: [{ text: status }] },
      { role: 'user', content: [{ text: 'and what are its risks?' }] },
    ]);
  });
});
