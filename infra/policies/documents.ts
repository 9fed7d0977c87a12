/**
 * IAM policy documents as pure functions of ARNs, so the least-privilege rules are unit-tested without AWS: every
 * statement names its actions explicitly (never `*`) and its resources by ARN.
 */
import { InfraError } from '../infraError.ts';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource?: string[];
  Principal?: { Service: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const allow = (sid: string, actions: string[], resources: string[]): PolicyStatement[] =>
  resources.length ? [{ Sid: sid, Effect: 'Allow', Action: actions, Resource: [...resources].sort() }] : [];

/** Trust policy for a service role. `sourceArn` (when given) and the account condition stop confused deputies. */
export function serviceTrustPolicy(service: string, accountId?: string, sourceArn?: string): PolicyDocument {
  const condition: PolicyStatement['Condition'] = {};
  if (accountId) condition.StringEquals = { 'aws:SourceAccount': accountId };
  if (sourceArn) condition.ArnLike = { 'aws:SourceArn': sourceArn };
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { Service: service },
      ...(Object.keys(condition).length ? { Condition: condition } : {}),
    }],
  };
}

export interface AgentAccess {
  /** From modelInvokeArns: the agent's model (and its profile's regions). */
  modelArns: string[];
  /** Supervisors: the collaborators' alias ARNs (Bedrock multi-agent collaboration needs both actions). */
  collaboratorAliasArns?: string[];
  knowledgeBaseArn?: string;
}

/** What a Bedrock agent's service role may do: invoke exactly its model, its collaborators and its knowledge base. */
export function agentRolePolicy(access: AgentAccess): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...allow('InvokeModel', ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], access.modelArns),
      ...allow('InvokeCollaborators', ['bedrock:GetAgentAlias', 'bedrock:InvokeAgent'],
        access.collaboratorAliasArns ?? []),
      ...allow('RetrieveKnowledge', ['bedrock:Retrieve'], access.knowledgeBaseArn ? [access.knowledgeBaseArn] : []),
    ],
  };
}

export interface FunctionAccess {
  /** The function's own log group ARN (the group is created by the stack, so no logs:CreateLogGroup). */
  logGroupArn: string;
  sendToQueues?: string[];
  consumeQueues?: string[];
  readSecrets?: string[];
  /** Session tables (DynamoDB): read and conditionally write one item per conversation. */
  sessionTables?: string[];
  /** Knowledge base ARNs the function searches (Bedrock Knowledge Bases `Retrieve`). */
  retrieveKnowledge?: string[];
  /** Knowledge base ARNs whose ingestion jobs the function starts and watches. */
  ingestKnowledge?: string[];
  /** Object ARNs with prefix wildcards (`arn:aws:s3:::bucket/conversation-history/*`). */
  writeObjects?: string[];
  readObjects?: string[];
  deleteObjects?: string[];
  invokeAgentAliases?: string[];
  invokeModels?: string[];
}

/**
 * `s3:ListBucket` on each bucket the role reads from, limited to the prefixes it reads (`s3:prefix`): without it S3
 * answers 403, not 404, for a key that does not exist, and the stores could not tell a missing key from a refusal.
 * They list a key S3 refused (`ListObjectsV2 {Prefix: key}`, runtime/aws/s3Objects.ts), which this grant allows
 * whether or not S3 counts it when choosing 403 or 404.
 */
export function listReadPrefixes(readObjects: string[]): PolicyStatement[] {
  const prefixes = new Map<string, Set<string>>();
  for (const arn of readObjects) {
    const slash = arn.indexOf('/');
    if (slash < 0) throw new InfraError('RV_INFRA_S3_ARN', `'${arn}' is not an object ARN pattern (arn:aws:s3:::bucket/prefix*)`);
    const bucket = arn.slice(0, slash);
    prefixes.set(bucket, (prefixes.get(bucket) ?? new Set()).add(arn.slice(slash + 1)));
  }
  return [...prefixes].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, keys], index) => ({
    Sid: `ListReadPrefixes${index || ''}`, Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket],
    Condition: { StringLike: { 's3:prefix': [...keys].sort() } },
  }));
}

/** A Lambda function's execution-role policy: logs plus exactly the grants it is given. */
export function functionRolePolicy(access: FunctionAccess): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      ...allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${access.logGroupArn}:*`]),
      ...allow('SendToQueue', ['sqs:SendMessage', 'sqs:GetQueueUrl'], access.sendToQueues ?? []),
      ...allow('ConsumeQueue', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility',
        'sqs:GetQueueAttributes'], access.consumeQueues ?? []),
      ...allow('ReadSecrets', ['secretsmanager:GetSecretValue'], access.readSecrets ?? []),
      ...allow('WriteObjects', ['s3:PutObject'], access.writeObjects ?? []),
      ...allow('ReadObjects', ['s3:GetObject'], access.readObjects ?? []),
      ...listReadPrefixes(access.readObjects ?? []),
      ...allow('DeleteObjects', ['s3:DeleteObject'], access.deleteObjects ?? []),
      ...allow('InvokeAgent', ['bedrock:InvokeAgent'], access.invokeAgentAliases ?? []),
      ...allow('InvokeModel', ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        access.invokeModels ?? []),
      ...allow('ReadWriteSessions', SESSION_ACTIONS, access.sessionTables ?? []),
      ...allow('RetrieveKnowledge', ['bedrock:Retrieve'], access.retrieveKnowledge ?? []),
      ...allow('IngestKnowledge', ['bedrock:StartIngestionJob', 'bedrock:GetIngestionJob'], access.ingestKnowledge ?? []),
    ],
  };
}

/**
 * What the session store sends (runtime/sessions): consistent reads, and whole-item writes conditioned on the item's `version`.
 * No Scan, Query or DeleteItem: expired sessions are removed by the table's TTL.
 */
export const SESSION_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem'];

export interface KnowledgeBaseAccess {
  /** The embedding model's foundation-model ARN. */
  embeddingModelArn: string;
  /** The data source bucket's ARN and the prefix the documents are under. */
  bucketArn: string;
  documentPrefix: string;
  /** The S3 Vectors index the knowledge base keeps its embeddings in. */
  vectorIndexArn: string;
  /** The account that owns the bucket (the S3 statements hold only for it). */
  accountId: string;
}

/**
 * A knowledge base's service role: embed with exactly its model, read exactly its documents, and keep vectors in
 * exactly its index (the S3 Vectors actions Bedrock Knowledge Bases uses).
 */
export function knowledgeBaseRolePolicy(access: KnowledgeBaseAccess): PolicyDocument {
  const ownAccount = { StringEquals: { 'aws:ResourceAccount': access.accountId } };
  return {
    Version: '2012-10-17',
    Statement: [
      ...allow('Embed', ['bedrock:InvokeModel'], [access.embeddingModelArn]),
      { Sid: 'ListDocuments', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [access.bucketArn],
        Condition: { ...ownAccount, StringLike: { 's3:prefix': [`${access.documentPrefix}*`] } } },
      { Sid: 'ReadDocuments', Effect: 'Allow', Action: ['s3:GetObject'],
        Resource: [`${access.bucketArn}/${access.documentPrefix}*`], Condition: ownAccount },
      ...allow('KeepVectors', ['s3vectors:GetIndex', 's3vectors:PutVectors', 's3vectors:GetVectors',
        's3vectors:DeleteVectors', 's3vectors:QueryVectors'], [access.vectorIndexArn]),
    ],
  };
}
