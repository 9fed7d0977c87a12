import { describe, expect, it } from 'vitest';
import { agentRolePolicy, functionRolePolicy, serviceTrustPolicy } from '../../infra/policies/documents.ts';
import { inferenceProfileRegions, modelInvokeArns, parseModelId } from '../../infra/policies/modelArns.ts';

describe('modelInvokeArns', () => {
  it('grants a foundation model in the stack region only', () => {
    expect(modelInvokeArns('anthropic.claude-3-5-haiku-20241022-v1:0', 'eu-west-1', '111122223333'))
      .toEqual(['arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0']);
  });

  it('grants an inference profile in the stack region and its model in every region of the profile', () => {
    const arns = modelInvokeArns('us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'us-east-1', '111122223333');
    expect(arns).toContain('arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0');
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      expect(arns).toContain(`arn:aws:bedrock:${region}::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0`);
    }
    expect(arns).toHaveLength(1 + inferenceProfileRegions('us').length);
    expect(arns.some((a) => a.includes('eu-'))).toBe(false);
  });

  it('uses the GovCloud partition there', () => {
    expect(modelInvokeArns('us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0', 'us-gov-west-1', '1')[0]).toMatch(/^arn:aws-us-gov:/);
  });

  it('refuses an unknown profile geography instead of deploying a policy that denies every call', () => {
    expect(() => parseModelId('xx.anthropic.claude-3-7-sonnet-20250219-v1:0')).toThrow(/RV_INFRA_PROFILE.*'xx'/);
    expect(parseModelId('eu.anthropic.claude-3-7-sonnet-20250219-v1:0'))
      .toEqual({ profile: 'eu', foundationModel: 'anthropic.claude-3-7-sonnet-20250219-v1:0' });
  });
});

describe('policy documents', () => {
  it('trusts a service only from the account (and source ARN) given', () => {
    const trust = serviceTrustPolicy('bedrock.amazonaws.com', '111122223333', 'arn:aws:bedrock:us-east-1:111122223333:agent/*');
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'bedrock.amazonaws.com' }, Action: ['sts:AssumeRole'],
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': 'arn:aws:bedrock:us-east-1:111122223333:agent/*' } },
    });
    expect(serviceTrustPolicy('lambda.amazonaws.com').Statement[0]!.Condition).toBeUndefined();
  });

  it('lets an agent invoke its models, collaborators and knowledge base, and nothing it was not given', () => {
    const policy = agentRolePolicy({ modelArns: ['m2', 'm1'], collaboratorAliasArns: ['a1'], knowledgeBaseArn: 'kb' });
    expect(policy.Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ['InvokeModel', ['m1', 'm2']], ['InvokeCollaborators', ['a1']], ['RetrieveKnowledge', ['kb']],
    ]);
    expect(agentRolePolicy({ modelArns: ['m'] }).Statement.map((s) => s.Sid)).toEqual(['InvokeModel']);
  });

  it('gives a function its own log streams plus exactly its grants, with no empty statements', () => {
    const policy = functionRolePolicy({ logGroupArn: 'arn:aws:logs:r:1:log-group:/aws/lambda/f', consumeQueues: ['q'], readSecrets: [] });
    expect(policy.Statement).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: ['arn:aws:logs:r:1:log-group:/aws/lambda/f:*'] },
      { Sid: 'ConsumeQueue', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'], Resource: ['q'] },
    ]);
  });

  it('lets a role that reads S3 keys list exactly the prefixes it reads, so a missing key is a 404, not a 403', () => {
    const policy = functionRolePolicy({
      logGroupArn: 'arn:aws:logs:r:1:log-group:/aws/lambda/f',
      readObjects: ['arn:aws:s3:::bucket-a/webhook-status/*'],
      writeObjects: ['arn:aws:s3:::bucket-a/conversation-history/*', 'arn:aws:s3:::bucket-a/webhook-status/*'],
    });
    expect(policy.Statement.filter((s) => s.Action.includes('s3:ListBucket'))).toEqual([{
      Sid: 'ListReadPrefixes', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::bucket-a'],
      Condition: { StringLike: { 's3:prefix': ['webhook-status/*'] } },
    }]);
    expect(functionRolePolicy({ logGroupArn: 'l', writeObjects: ['arn:aws:s3:::b/x/*'] }).Statement.some((s) => s.Action.includes('s3:ListBucket')))
      .toBe(false);
  });
});
