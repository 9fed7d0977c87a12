/**
 * The knowledge base the program builds from the manifest's knowledge documents:
 *  - a private S3 bucket holding one Markdown object per document and its metadata sidecar (the data source);
 *  - an S3 Vectors vector bucket and index for the embeddings: the cheapest serverless vector store the provider
 *    offers (storage and queries billed per use, nothing running between questions; OpenSearch Serverless bills
 *    search and indexing capacity every hour);
 *  - the Bedrock knowledge base (Titan Text Embeddings V2, 1024 dimensions) with its service role, and the S3 data
 *    source;
 *  - an ingestion job, started through `aws.lambda.Invocation` of a small deploy-time function whenever the
 *    documents' hash changes (the provider has no ingestion-job resource).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DOCUMENT_PREFIX, type ManifestKnowledge, knowledgeObjects } from '../knowledgeDocuments.ts';
import { knowledgeBaseRolePolicy, serviceTrustPolicy } from '../policies/documents.ts';
import { modelInvokeArns } from '../policies/modelArns.ts';
import { privateBucket } from './privateBucket.ts';
import { RuntimeFunction } from './runtimeFunction.ts';

export const EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
export const EMBEDDING_DIMENSIONS = 1024;
/** Bedrock keeps each chunk's text and metadata under these keys; S3 Vectors must not index them for filtering. */
const BEDROCK_NON_FILTERABLE_KEYS = ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'];

export interface KnowledgeBaseArgs {
  namePrefix: string;
  knowledge: ManifestKnowledge;
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  bundleDir: string;
  manifestPath: string;
  logRetentionDays: number;
}

export class KnowledgeBase extends pulumi.ComponentResource {
  readonly base: aws.bedrock.AgentKnowledgeBase;
  readonly dataSource: aws.bedrock.AgentDataSource;
  readonly documents: aws.s3.Bucket;

  constructor(name: string, args: KnowledgeBaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('revops:knowledge:KnowledgeBase', name, {}, opts);
    const parent = { parent: this };
    this.documents = privateBucket(name, `${name}-documents`, parent);
    const objects = knowledgeObjects(args.knowledge).map((o) => new aws.s3.BucketObjectv2(
      `${name}-object-${o.key.slice(DOCUMENT_PREFIX.length)}`,
      { bucket: this.documents.id, key: o.key, content: o.content, contentType: o.contentType }, parent));

    // Vector bucket names are lower case (3-63 characters); the stack prefix may not be.
    const vectors = new aws.s3.VectorsVectorBucket(`${name}-vectors`, {
      vectorBucketName: `${args.namePrefix.toLowerCase()}-knowledge`,
    }, parent);
    const index = new aws.s3.VectorsIndex(`${name}-index`, {
      vectorBucketName: vectors.vectorBucketName, indexName: 'documents',
      dataType: 'float32', dimension: EMBEDDING_DIMENSIONS, distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: BEDROCK_NON_FILTERABLE_KEYS },
    }, parent);

    const role = new aws.iam.Role(`${name}-role`, {
      assumeRolePolicy: pulumi.all([args.region, args.accountId]).apply(([region, account]) => JSON.stringify(
        serviceTrustPolicy('bedrock.amazonaws.com', account, `arn:aws:bedrock:${region}:${account}:knowledge-base/*`))),
    }, parent);
    const policy = new aws.iam.RolePolicy(`${name}-role-policy`, {
      role: role.id,
      policy: pulumi.all([args.region, args.accountId, this.documents.arn, index.indexArn])
        .apply(([region, account, bucketArn, vectorIndexArn]) => JSON.stringify(knowledgeBaseRolePolicy({
          embeddingModelArn: modelInvokeArns(EMBEDDING_MODEL, region, account)[0]!,
          bucketArn, documentPrefix: DOCUMENT_PREFIX, vectorIndexArn, accountId: account,
        }))),
    }, parent);

    this.base = new aws.bedrock.AgentKnowledgeBase(`${name}-base`, {
      name: `${args.namePrefix}-knowledge`,
      description: 'Revenue-operations definitions: warehouse schema, stages, MEDDPICC, ICP, churn, forecast, pipeline',
      roleArn: role.arn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: pulumi.all([args.region, args.accountId])
            .apply(([region, account]) => modelInvokeArns(EMBEDDING_MODEL, region, account)[0]!),
          embeddingModelConfiguration: {
            bedrockEmbeddingModelConfiguration: { dimensions: EMBEDDING_DIMENSIONS, embeddingDataType: 'FLOAT32' },
          },
        },
      },
      storageConfiguration: { type: 'S3_VECTORS', s3VectorsConfiguration: { indexArn: index.indexArn } },
    }, { parent: this, dependsOn: [policy] });

    this.dataSource = new aws.bedrock.AgentDataSource(`${name}-source`, {
      knowledgeBaseId: this.base.id,
      name: 'documents',
      // Vectors of a removed document go with it.
      dataDeletionPolicy: 'DELETE',
      dataSourceConfiguration: {
        type: 'S3', s3Configuration: { bucketArn: this.documents.arn, inclusionPrefixes: [DOCUMENT_PREFIX] },
      },
    }, parent);

    const ingestion = new RuntimeFunction(`${name}-ingestion`, {
      functionName: `${args.namePrefix}-knowledge-ingestion`, bundle: 'knowledge-ingestion',
      bundleDir: args.bundleDir, manifestPath: args.manifestPath,
      memoryMb: 256, timeoutSeconds: 900, logRetentionDays: args.logRetentionDays,
      environment: {}, grants: { ingestKnowledge: [this.base.arn] },
    }, parent);
    new aws.lambda.Invocation(`${name}-ingest`, {
      functionName: ingestion.function.name,
      input: pulumi.jsonStringify({
        knowledgeBaseId: this.base.id, dataSourceId: this.dataSource.dataSourceId, documentsHash: args.knowledge.hash,
      }),
      triggers: { documents: args.knowledge.hash },
    }, { parent: this, dependsOn: [...objects, this.dataSource] });
    this.registerOutputs({ knowledgeBaseId: this.base.id, documentsBucket: this.documents.bucket });
  }
}
