/**
 * Plausible provider outputs for resources created under Pulumi's mocks: ids, ARNs and URLs shaped like the real
 * ones (alias ARNs carry agent and alias ids), so the plan and the tests can read them like a real deployment's.
 */
import { createHash } from 'node:crypto';

export interface MockContext {
  region: string;
  accountId: string;
}

/** A stable upper-case id from a logical name (Bedrock ids are 10 upper-case characters). */
const idFor = (name: string): string =>
  createHash('sha256').update(name).digest('hex').slice(0, 10).toUpperCase();

export function mockOutputs(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext):
  Record<string, unknown> {
  const { region, accountId } = ctx;
  const id = idFor(name);
  const physical = typeof inputs.name === 'string' ? inputs.name : `${name}-${id.toLowerCase().slice(0, 7)}`;
  switch (type) {
    case 'aws:bedrock/agentAgent:AgentAgent':
      return { agentId: id, agentArn: `arn:aws:bedrock:${region}:${accountId}:agent/${id}`, agentVersion: 'DRAFT' };
    case 'aws:bedrock/agentAgentAlias:AgentAgentAlias':
      return {
        agentAliasId: id,
        agentAliasArn: `arn:aws:bedrock:${region}:${accountId}:agent-alias/${String(inputs.agentId)}/${id}`,
      };
    case 'aws:lambda/function:Function': {
      const arn = `arn:aws:lambda:${region}:${accountId}:function:${physical}`;
      return {
        name: physical, arn,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case 'aws:sqs/queue:Queue':
      return {
        name: physical, arn: `arn:aws:sqs:${region}:${accountId}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${accountId}/${physical}`,
      };
    case 'aws:iam/role:Role':
      return { name: physical, arn: `arn:aws:iam::${accountId}:role/${physical}` };
    case 'aws:s3/bucket:Bucket':
      return { bucket: physical, arn: `arn:aws:s3:::${physical}` };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { arn: `arn:aws:logs:${region}:${accountId}:log-group:${physical}` };
    case 'aws:apigatewayv2/api:Api':
      return {
        apiEndpoint: `https://${id.toLowerCase()}.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${region}:${accountId}:${id.toLowerCase()}`,
      };
    case 'aws:dynamodb/table:Table':
      return { name: physical, arn: `arn:aws:dynamodb:${region}:${accountId}:table/${physical}` };
    case 'aws:bedrock/agentKnowledgeBase:AgentKnowledgeBase':
      return { arn: `arn:aws:bedrock:${region}:${accountId}:knowledge-base/${id}` };
    case 'aws:bedrock/agentDataSource:AgentDataSource':
      return { dataSourceId: id };
    case 'aws:s3/vectorsVectorBucket:VectorsVectorBucket':
      return { vectorBucketArn: `arn:aws:s3vectors:${region}:${accountId}:bucket/${String(inputs.vectorBucketName)}` };
    case 'aws:s3/vectorsIndex:VectorsIndex':
      return {
        indexArn: `arn:aws:s3vectors:${region}:${accountId}:bucket/${String(inputs.vectorBucketName)}/index/${String(inputs.indexName)}`,
      };
    case 'aws:secretsmanager/secret:Secret':
      return { arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${physical}-${id.slice(0, 6)}` };
    default: {
      const service = type.split(':')[1]?.split('/')[0] ?? 'unknown';
      return { arn: `arn:aws:${service}:${region}:${accountId}:${physical}` };
    }
  }
}
