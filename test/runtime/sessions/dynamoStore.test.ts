/**
 * The DynamoDB session backend at the SDK boundary (aws-sdk-client-mock): the item it writes, the conditions it
 * sends, and a write that loses to another writer (ConditionalCheckFailed) retried on the fresher item with both
 * turns kept.
 */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoSessionBackend } from '../../../runtime/sessions/dynamoBackend.ts';
import { createSessionStore, type StoredTurn } from '../../../runtime/sessions/sessionStore.ts';

const dynamo = mockClient(DynamoDBClient);
afterEach(() => dynamo.reset());

const NOW = new Date('2026-06-01T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const turn = (user: string): StoredTurn => ({ at: NOW.toISOString(), user, assistant: `answer to ${user}` });
const item = (version: number, turns: StoredTurn[], expiresAt = nowSeconds + 600) => ({
  session_key: { S: 'slack:T1:C1:1.2' }, version: { N: String(version) }, expires_at: { N: String(expiresAt) }, turns: { S: JSON.stringify(turns) },
});
const store = () => createSessionStore(
  createDynamoSessionBackend({ table: 'revops-sessions', client: new DynamoDBClient({ region: 'us-east-1' }), now: () => NOW }),
  { ttlSeconds: 600, now: () => NOW });

describe('DynamoDB session backend', () => {
  it('creates a session with a put that only succeeds when no live item exists', async () => {
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(PutItemCommand).resolves({});
    await store().append('slack:T1:C1:1.2', turn('status of IXIS?'));
    const get = dynamo.commandCalls(GetItemCommand)[0]!.args[0].input;
    expect(get).toMatchObject({ TableName: 'revops-sessions', Key: { session_key: { S: 'slack:T1:C1:1.2' } }, ConsistentRead: true });
    const put = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put.ConditionExpression).toBe('attribute_not_exists(session_key) OR expires_at <= :now');
    expect(put.ExpressionAttributeValues).toEqual({ ':now': { N: String(nowSeconds) } });
    expect(put.Item).toMatchObject({ version: { N: '1' }, expires_at: { N: String(nowSeconds + 600) } });
    expect(JSON.parse(put.Item!.turns!.S!)).toEqual([turn('status of IXIS?')]);
  });

  it('on a conditional-check failure re-reads and writes both turns on the newer version', async () => {
    const first = turn('status of IXIS?');
    const theirs = turn('who owns it?');
    dynamo.on(GetItemCommand)
      .resolvesOnce({ Item: item(1, [first]) })
      .resolvesOnce({ Item: item(2, [first, theirs]) });
    dynamo.on(PutItemCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }))
      .resolves({});
    await store().append('slack:T1:C1:1.2', turn('and what are its risks?'));
    const puts = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(2);
    expect(puts[0]!.ConditionExpression).toBe('version = :expected');
    expect(puts[0]!.ExpressionAttributeValues).toEqual({ ':expected': { N: '1' } });
    expect(puts[1]!.ExpressionAttributeValues).toEqual({ ':expected': { N: '2' } });
    expect(puts[1]!.Item!.version).toEqual({ N: '3' });
    expect(JSON.parse(puts[1]!.Item!.turns!.S!).map((t: StoredTurn) => t.user)).toEqual(['status of IXIS?', 'who owns it?', 'and what are its risks?']);
  });

  it('reads an item past expires_at as no session (TTL deletion runs late)', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: item(4, [turn('old')], nowSeconds - 1) });
    expect(await store().turns('slack:T1:C1:1.2')).toEqual([]);
  });

  it('lets other DynamoDB failures through', async () => {
    dynamo.on(GetItemCommand).rejects(Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }));
    await expect(store().turns('k')).rejects.toThrow(/Requested resource not found/);
  });
});
