import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { knowledgeOf } from '../../infra/knowledgeDocuments.ts';
import type { PolicyDocument } from '../../infra/policies/documents.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { Plan, T, input, withKnowledge } from './planHelpers.ts';

const K = {
  base: 'aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase',
  source: 'aws:bedrock/agentDataSource:AgentDataSource',
  vectors: 'aws:s3/vectorsVectorBucket:VectorsVectorBucket',
  index: 'aws:s3/vectorsIndex:VectorsIndex',
  object: 'aws:s3/bucketObjectv2:BucketObjectv2',
  invocation: 'aws:lambda/invocation:Invocation',
} as const;
const ACCOUNT = '123456789012';
const KB_ARN = `arn:aws:bedrock:us-east-1:${ACCOUNT}:knowledge-base/`;
const INDEX_ARN = `arn:aws:s3vectors:us-east-1:${ACCOUNT}:bucket/revops-plan-knowledge/index/documents`;
const policy = (plan: Plan, name: string) => JSON.parse(input(plan.get(T.rolePolicy, name), 'policy')) as PolicyDocument;
const variables = (plan: Plan, name: string) => input<{ variables: Record<string, string> }>(plan.get(T.fn, name), 'environment').variables;

describe('the knowledge base built from the documents (default engine)', () => {
  let manifest: Manifest;
  let plan: Plan;
  beforeAll(async () => {
    manifest = withKnowledge(fixtureManifest());
    plan = await Plan.of(manifest);
  });

  it('fills a private data source bucket with each document and its metadata sidecar', () => {
    const objects = plan.all(K.object).map((o) => [input(o, 'key'), o.inputs.content] as const);
    const docs = knowledgeOf(manifest).documents;
    expect(objects.map(([key]) => key).sort()).toEqual(docs.flatMap((d) => [`documents/${d.id}.md`, `documents/${d.id}.md.metadata.json`]).sort());
    for (const d of docs) {
      expect(Object.fromEntries(objects)[`documents/${d.id}.md`]).toBe(d.text);
      expect(JSON.parse(String(Object.fromEntries(objects)[`documents/${d.id}.md.metadata.json`]))).toEqual({
        metadataAttributes: { id: d.id, title: d.title, source: d.source, agents: d.agents, tags: d.tags },
      });
    }
    const bucket = plan.get(T.bucket, 'knowledge-documents');
    for (const o of plan.all(K.object)) expect(o.dependsOn).toContain(bucket.name);
    expect(plan.all(T.publicAccess).some((b) => b.dependsOn.includes(bucket.name) && b.inputs.restrictPublicBuckets === true)).toBe(true);
  });

  it('keeps Titan V2 embeddings in an S3 Vectors index of the same dimension', () => {
    const index = plan.get(K.index, 'knowledge-index');
    expect(index.inputs).toMatchObject({ indexName: 'documents', dimension: 1024, dataType: 'float32', distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'] } });
    expect(input(plan.get(K.vectors, 'knowledge-vectors'), 'vectorBucketName')).toBe('revops-plan-knowledge');
    const base = plan.get(K.base, 'knowledge-base');
    expect(base.inputs).toMatchObject({
      name: 'revops-plan-knowledge',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: {
        embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
        embeddingModelConfiguration: { bedrockEmbeddingModelConfiguration: { dimensions: 1024, embeddingDataType: 'FLOAT32' } } } },
      storageConfiguration: { type: 'S3_VECTORS', s3VectorsConfiguration: { indexArn: INDEX_ARN } },
    });
    const source = plan.get(K.source, 'knowledge-source');
    expect(source.inputs).toMatchObject({ dataDeletionPolicy: 'DELETE', dataSourceConfiguration: { type: 'S3',
      s3Configuration: { bucketArn: expect.stringMatching(/^arn:aws:s3:::knowledge-documents-/), inclusionPrefixes: ['documents/'] } } });
  });

  it("scopes the knowledge base's role to its model, its documents and its index", () => {
    const role = policy(plan, 'knowledge-role-policy');
    expect(role.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ['Embed', ['bedrock:InvokeModel'], ['arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0']],
      ['ListDocuments', ['s3:ListBucket'], [expect.stringMatching(/^arn:aws:s3:::knowledge-documents-[a-z0-9]+$/)]],
      ['ReadDocuments', ['s3:GetObject'], [expect.stringMatching(/^arn:aws:s3:::knowledge-documents-[a-z0-9]+\/documents\/\*$/)]],
      ['KeepVectors', ['s3vectors:GetIndex', 's3vectors:PutVectors', 's3vectors:GetVectors', 's3vectors:DeleteVectors', 's3vectors:QueryVectors'], [INDEX_ARN]],
    ]);
    const trust = JSON.parse(input(plan.get(T.role, 'knowledge-role'), 'assumeRolePolicy')) as PolicyDocument;
    expect(trust.Statement[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `${KB_ARN}*` } });
  });

  it('ingests after the documents and the data source exist, again whenever their hash changes', async () => {
    const ingest = plan.get(K.invocation, 'knowledge-ingest');
    for (const o of plan.all(K.object)) expect(ingest.dependsOn).toContain(o.name);
    expect(ingest.dependsOn).toContain('knowledge-source');
    expect(input(ingest, 'functionName')).toBe('revops-plan-knowledge-ingestion');
    expect(JSON.parse(input(ingest, 'input'))).toMatchObject({ documentsHash: knowledgeOf(manifest).hash, knowledgeBaseId: 'knowledge-base-id' });
    expect(input(ingest, 'triggers')).toEqual({ documents: knowledgeOf(manifest).hash });
    const starter = policy(plan, 'knowledge-ingestion-policy');
    expect(starter.Statement.find((s) => s.Sid === 'IngestKnowledge')).toEqual({ Sid: 'IngestKnowledge', Effect: 'Allow',
      Action: ['bedrock:StartIngestionJob', 'bedrock:GetIngestionJob'], Resource: [expect.stringMatching(new RegExp(`^${KB_ARN}[A-Z0-9]{10}$`))] });
    const edited = withKnowledge(fixtureManifest());
    edited.knowledge.hash = 'e'.repeat(64);
    expect(input((await Plan.of(edited)).get(K.invocation, 'knowledge-ingest'), 'triggers')).toEqual({ documents: 'e'.repeat(64) });
  });

  it('lets the processors search exactly that knowledge base, and nothing else does', () => {
    for (const channel of manifest.channels) {
      expect(variables(plan, `channel-${channel.name}-processor-function`).REVOPS_KNOWLEDGE_BASE_ID).toBe('knowledge-base-id');
      const retrieve = policy(plan, `channel-${channel.name}-processor-policy`).Statement.find((s) => s.Sid === 'RetrieveKnowledge')!;
      expect(retrieve.Action).toEqual(['bedrock:Retrieve']);
      expect(retrieve.Resource).toEqual([expect.stringMatching(new RegExp(`^${KB_ARN}[A-Z0-9]{10}$`))]);
      expect(variables(plan, `channel-${channel.name}-ingress-function`).REVOPS_KNOWLEDGE_BASE_ID).toBeUndefined();
    }
    const retrievers = plan.all(T.rolePolicy).filter((p) => input(p, 'policy').includes('bedrock:Retrieve')).map((p) => p.name).sort();
    expect(retrievers).toEqual(manifest.channels.map((c) => `channel-${c.name}-processor-policy`).sort());
  });

  it('is not built without documents, nor when config names a knowledge base', async () => {
    expect((await Plan.of(fixtureManifest())).all(K.base)).toEqual([]);
    const named = await Plan.of(manifest, { knowledgeBaseId: 'KBTEST1234' });
    expect(named.all(K.base)).toEqual([]);
    expect(named.all(K.object)).toEqual([]);
    expect(variables(named, 'channel-slack-processor-function').REVOPS_KNOWLEDGE_BASE_ID).toBe('KBTEST1234');
  });
});

describe('the knowledge base with revops:engine bedrock-agents', () => {
  let manifest: Manifest;
  let plan: Plan;
  beforeAll(async () => {
    manifest = withKnowledge(fixtureManifest());
    plan = await Plan.of(manifest, { engine: 'bedrock-agents' });
  });

  it("is associated with exactly the documents' agents, each allowed to retrieve from it", () => {
    const users = [...new Set(knowledgeOf(manifest).documents.flatMap((d) => d.agents))].sort();
    expect(plan.all(T.knowledgeBase).map((r) => r.name).sort()).toEqual(users.map((a) => `agents-${a}-knowledge-base`));
    for (const agent of users) {
      const association = plan.get(T.knowledgeBase, `agents-${agent}-knowledge-base`);
      expect(input(association, 'knowledgeBaseId')).toBe('knowledge-base-id');
      expect(input(association, 'description').length).toBeLessThanOrEqual(200);
      expect(association.dependsOn.length).toBeGreaterThan(0);
      const retrieve = policy(plan, `agents-${agent}-role-policy`).Statement.find((s) => s.Sid === 'RetrieveKnowledge')!;
      expect(retrieve.Resource).toEqual([expect.stringMatching(new RegExp(`^${KB_ARN}[A-Z0-9]{10}$`))]);
    }
    expect(input(plan.get(T.knowledgeBase, 'agents-data-knowledge-base'), 'description')).toContain('Warehouse schema');
  });

  it("gives the tool executor the knowledge base for knowledge_search, and changes an agent's version only when it gains the base", async () => {
    expect(variables(plan, 'tool-executor-function').REVOPS_KNOWLEDGE_BASE_ID).toBe('knowledge-base-id');
    const without = await Plan.of(fixtureManifest(), { engine: 'bedrock-agents' });
    const description = (p: Plan, agent: string) => input(p.get(T.alias, `agents-${agent}-alias`), 'description');
    expect(description(plan, 'data')).not.toBe(description(without, 'data'));
    expect(description(plan, 'lead_analysis')).toBe(description(without, 'lead_analysis'));
    const edited = withKnowledge(fixtureManifest());
    edited.knowledge.documents[0]!.text += ' Edited.';
    expect(description(await Plan.of(edited, { engine: 'bedrock-agents' }), 'data')).toBe(description(plan, 'data'));
  });
});
