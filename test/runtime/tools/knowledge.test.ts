/**
 * Tools of kind `knowledge`: the local full-text index over the manifest's documents, and Bedrock Knowledge Bases
 * `Retrieve` when REVOPS_KNOWLEDGE_BASE_ID is set (at the SDK boundary, aws-sdk-client-mock).
 */
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManifestKnowledge, ManifestTool } from '../../../compiler/manifest.ts';
import { passagesOf } from '../../../runtime/knowledge/knowledgeIndex.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';

const agentRuntime = mockClient(BedrockAgentRuntimeClient);
afterEach(() => agentRuntime.reset());

const tool: ManifestTool = {
  name: 'knowledge_search', kind: 'knowledge', description: 'Look up definitions', group: 'knowledge', task: 'look it up in the knowledge documents', maxRows: 3, timeoutMs: 5000,
  maxResultChars: 20000, retries: 0, source: 'specs/tools/knowledge_search.yaml', effect: 'read', approval: 'none',
  parameters: [{ name: 'query', type: 'string', required: true, description: 'What to look up', resolve: { text: true } }],
};
const doc = (id: string, title: string, text: string, agents = ['data']) => ({ id, title, agents, tags: [], source: `specs/knowledge/${id}.md`, text, hash: id });
const knowledge: ManifestKnowledge = {
  hash: 'h',
  documents: [
    doc('stages', 'Stages', '# Stages\n\nEvery deal has a stage.\n\n## Negotiate\nTerms are negotiated; standard probability 75%.\n\n## Discover\nFirst calls; 10%.\n'),
    doc('churn', 'Churn', '## Bands\nLow 0 to 25, Critical 76 to 100. See [churn risk](tool:churn_risk).\n'),
  ],
};
const noWarehouse = {} as Warehouse;
const toolbox = (env: Record<string, string> = {}) => createToolbox([tool], {
  warehouse: noWarehouse, env, now: () => new Date(), knowledge, knowledgeClient: new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
});

describe('knowledge tool, local index', () => {
  it('returns the passage under the heading that answers, with its source file', async () => {
    const result = await toolbox().run('knowledge_search', { query: 'what does the Negotiate stage mean?' });
    expect(result.ok).toBe(true);
    expect(result.rows![0]).toMatchObject({ section: 'Negotiate', title: 'Stages', source: 'specs/knowledge/stages.md', passage: 'Terms are negotiated; standard probability 75%.' });
    expect(result.rows!.length).toBeLessThanOrEqual(3);
  });

  it('splits documents at their headings and reads spec links as text', () => {
    expect(passagesOf(knowledge.documents[0]!).map((p) => p.section)).toEqual(['Stages', 'Negotiate', 'Discover']);
    expect(passagesOf(knowledge.documents[1]!)[0]!.text).toBe('Low 0 to 25, Critical 76 to 100. See churn risk.');
  });

  it('returns no rows for a query nothing matches, and refuses a blank query', async () => {
    expect((await toolbox().run('knowledge_search', { query: 'zebra xylophone' })).rows).toEqual([]);
    expect((await toolbox().run('knowledge_search', { query: '  ' })).error?.code).toBe('invalid_parameter');
  });
});

describe('knowledge tool, Bedrock Knowledge Bases Retrieve', () => {
  it('retrieves from the knowledge base REVOPS_KNOWLEDGE_BASE_ID names and maps its results', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [
        { content: { text: 'The Negotiate stage means terms are being negotiated. Standard probability 75%.' }, score: 0.81,
          location: { type: 'S3', s3Location: { uri: 's3://revops-knowledge/opportunity-stages.md' } }, metadata: { source: 'specs/knowledge/opportunity-stages.md', title: 'Stages' } },
        { content: { text: '   ' }, score: 0.2 },
      ],
    });
    const result = await toolbox({ REVOPS_KNOWLEDGE_BASE_ID: 'KB12345678' }).run('knowledge_search', { query: 'Negotiate stage' });
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input).toEqual({
      knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'Negotiate stage' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
    });
    expect(result.rows).toEqual([{ section: 'Stages', title: 'Stages', source: 'specs/knowledge/opportunity-stages.md', passage: 'The Negotiate stage means terms are being negotiated. Standard probability 75%.', score: 0.81 }]);
  });

  it('names the S3 object when the result carries no source metadata', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [{ content: { text: 'Low 0 to 25.' }, location: { type: 'S3', s3Location: { uri: 's3://kb/churn-risk.md' } } }] });
    const result = await toolbox({ REVOPS_KNOWLEDGE_BASE_ID: 'KB12345678' }).run('knowledge_search', { query: 'churn bands' });
    expect(result.rows![0]).toMatchObject({ source: 's3://kb/churn-risk.md', passage: 'Low 0 to 25.' });
  });

  it('reports a failed Retrieve as an upstream failure naming the knowledge base', async () => {
    agentRuntime.on(RetrieveCommand).rejects(Object.assign(new Error('User is not authorized to perform bedrock:Retrieve'), { name: 'AccessDeniedException' }));
    const result = await toolbox({ REVOPS_KNOWLEDGE_BASE_ID: 'KB12345678' }).run('knowledge_search', { query: 'stages' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'upstream', message: expect.stringMatching(/KB12345678.*AccessDeniedException/) });
  });
});
