import { BedrockAgentClient, ListDataSourcesCommand, ListIngestionJobsCommand } from '@aws-sdk/client-bedrock-agent';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorChecks } from '../../../runtime/doctor/checks.ts';
import { CheckFailed } from '../../../runtime/doctor/doctorCheck.ts';
import { fixtureManifest } from '../../infra/fixtures/manifest.ts';

const agent = mockClient(BedrockAgentClient);
afterEach(() => agent.reset());

const knowledgeCheck = (env: Record<string, string>) =>
  [...doctorChecks({ manifest: fixtureManifest(), env: { AWS_REGION: 'us-east-1', ...env }, cwd: '.' })].find((c) => c.name.startsWith('knowledge base'));

describe('revops doctor: the knowledge base', () => {
  it('is not checked when no knowledge base is configured', () => {
    expect(knowledgeCheck({})).toBeUndefined();
  });

  it("passes when every data source's last ingestion is complete", async () => {
    agent.on(ListDataSourcesCommand).resolves({ dataSourceSummaries: [{ dataSourceId: 'DS1', knowledgeBaseId: 'KB1', name: 'docs', status: 'AVAILABLE', updatedAt: new Date() }] });
    agent.on(ListIngestionJobsCommand).resolves({ ingestionJobSummaries: [{
      ingestionJobId: 'J1', knowledgeBaseId: 'KB1', dataSourceId: 'DS1', status: 'COMPLETE', startedAt: new Date(), updatedAt: new Date(),
      statistics: { numberOfDocumentsScanned: 7, numberOfDocumentsFailed: 0 },
    }] });
    expect(await knowledgeCheck({ REVOPS_KNOWLEDGE_BASE_ID: 'KB1' })!.run()).toBe('last ingestion COMPLETE (DS1: 0 failed of 7 scanned)');
    expect(agent.commandCalls(ListIngestionJobsCommand)[0]!.args[0].input).toMatchObject({ knowledgeBaseId: 'KB1', dataSourceId: 'DS1', maxResults: 1 });
  });

  it.each([
    [[], undefined, /has no data source/],
    [[{ dataSourceId: 'DS1' }], [], /was never ingested/],
    [[{ dataSourceId: 'DS1' }], [{ status: 'FAILED' }], /last ingestion of data source DS1 is FAILED/],
    [[{ dataSourceId: 'DS1' }], [{ status: 'IN_PROGRESS' }], /is IN_PROGRESS/],
  ])('fails with its fix when the data sources are %j and the last jobs %j', async (sources, jobs, message) => {
    agent.on(ListDataSourcesCommand).resolves({ dataSourceSummaries: sources as never });
    agent.on(ListIngestionJobsCommand).resolves({ ingestionJobSummaries: (jobs ?? []) as never });
    const failure = await knowledgeCheck({ REVOPS_KNOWLEDGE_BASE_ID: 'KB1' })!.run().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CheckFailed);
    expect((failure as CheckFailed).message).toMatch(message);
    expect((failure as CheckFailed).fix).toMatch(/pulumi up|Bedrock console|revops doctor/);
  });
});
