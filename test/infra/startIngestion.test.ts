import { BedrockAgentClient, GetIngestionJobCommand, type IngestionJobStatus, StartIngestionJobCommand } from '@aws-sdk/client-bedrock-agent';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../infra/functions/startIngestion.ts';

const bedrock = mockClient(BedrockAgentClient);
const request = { knowledgeBaseId: 'KB12345678', dataSourceId: 'DS12345678', documentsHash: 'a'.repeat(64) };
const job = (status: IngestionJobStatus, extra: Record<string, unknown> = {}) => ({ ingestionJob: { ingestionJobId: 'JOB1', knowledgeBaseId: 'KB12345678', dataSourceId: 'DS12345678', status, startedAt: new Date(0), updatedAt: new Date(0), ...extra } });
const noWait = { remainingMs: () => 600_000, pollMs: 10, sleep: async () => {} };

afterEach(() => bedrock.reset());

describe('the ingestion starter', () => {
  it('starts a job for the data source and waits until it completes', async () => {
    bedrock.on(StartIngestionJobCommand).resolves(job('STARTING'));
    bedrock.on(GetIngestionJobCommand).resolvesOnce(job('IN_PROGRESS')).resolves(job('COMPLETE', { statistics: { numberOfNewDocumentsIndexed: 7 } }));
    const outcome = await ingest(new BedrockAgentClient({ region: 'us-east-1' }), request, noWait);
    expect(outcome).toEqual({ ingestionJobId: 'JOB1', status: 'COMPLETE', statistics: { numberOfNewDocumentsIndexed: 7 } });
    expect(bedrock.commandCalls(StartIngestionJobCommand)[0]!.args[0].input).toMatchObject({ knowledgeBaseId: 'KB12345678', dataSourceId: 'DS12345678' });
    expect(bedrock.commandCalls(GetIngestionJobCommand).map((c) => c.args[0].input)).toEqual([
      { knowledgeBaseId: 'KB12345678', dataSourceId: 'DS12345678', ingestionJobId: 'JOB1' },
      { knowledgeBaseId: 'KB12345678', dataSourceId: 'DS12345678', ingestionJobId: 'JOB1' },
    ]);
  });

  it("fails the deploy with Bedrock's reasons when the job fails", async () => {
    bedrock.on(StartIngestionJobCommand).resolves(job('STARTING'));
    bedrock.on(GetIngestionJobCommand).resolves(job('FAILED', { failureReasons: ['documents/a.md: unsupported encoding'] }));
    await expect(ingest(new BedrockAgentClient({ region: 'us-east-1' }), request, noWait))
      .rejects.toThrow(/JOB1 of knowledge base KB12345678 ended FAILED: documents\/a\.md: unsupported encoding/);
  });

  it('stops waiting before the function would time out and reports the job still running', async () => {
    let left = 30_000;
    bedrock.on(StartIngestionJobCommand).resolves(job('STARTING'));
    bedrock.on(GetIngestionJobCommand).resolves(job('IN_PROGRESS'));
    const outcome = await ingest(new BedrockAgentClient({ region: 'us-east-1' }), request,
      { remainingMs: () => left, pollMs: 5_000, sleep: async (ms) => { left -= ms; } });
    expect(outcome.status).toBe('IN_PROGRESS');
    expect(bedrock.commandCalls(GetIngestionJobCommand).length).toBe(4);
  });
});
