/**
 * Sessions in a DynamoDB table (REVOPS_SESSION_TABLE, created by the Pulumi program): partition key `session_key`
 * (S), the TTL attribute `expires_at` (N, epoch seconds), a numeric `version`, and the bounded turns as one JSON
 * string `turns`. A write is a PutItem conditioned on the version it read (or on there being no live item), so a
 * writer that lost the race gets ConditionalCheckFailed and the store merges and retries. Reads are consistent
 * (a follow-up seconds later must see the turn before it) and skip items past `expires_at`: TTL deletion runs
 * late, up to days after expiry.
 */
import type { DynamoDBClient, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { SessionBackend, SessionRecord, StoredTurn } from './sessionStore.ts';

export interface DynamoSessionOptions {
  table: string;
  client?: DynamoDBClient;
  region?: string;
  now?: () => Date;
}

export function createDynamoSessionBackend(options: DynamoSessionOptions): SessionBackend {
  const now = options.now ?? (() => new Date());
  const aws = import('../aws/dynamodb.ts');
  let client: DynamoDBClient | undefined = options.client;
  const clientOf = async (): Promise<DynamoDBClient> =>
    (client ??= new (await aws).DynamoDBClient(options.region ? { region: options.region } : {}));
  const nowSeconds = (): number => Math.floor(now().getTime() / 1000);

  return {
    async read(key) {
      const { GetItemCommand } = await aws;
      const { Item } = await (await clientOf()).send(new GetItemCommand({
        TableName: options.table, Key: { session_key: { S: key } }, ConsistentRead: true,
      }));
      const version = Number(Item?.version?.N);
      const expiresAt = Number(Item?.expires_at?.N);
      if (!Item || !Number.isInteger(version) || !(expiresAt > nowSeconds())) return undefined;
      return { version, expiresAt, turns: parseTurns(Item.turns?.S) };
    },
    async write(key, record: SessionRecord, expected) {
      const { PutItemCommand } = await aws;
      const condition: Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'> = expected === 0
        ? { ConditionExpression: 'attribute_not_exists(session_key) OR expires_at <= :now', ExpressionAttributeValues: { ':now': { N: String(nowSeconds()) } } }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': { N: String(expected) } } };
      try {
        await (await clientOf()).send(new PutItemCommand({
          TableName: options.table,
          Item: {
            session_key: { S: key }, version: { N: String(record.version) }, expires_at: { N: String(record.expiresAt) },
            turns: { S: JSON.stringify(record.turns) },
          },
          ...condition,
        }));
        return true;
      } catch (error) {
        // By name: the class a stand-in or another SDK copy throws is not this module's.
        if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}

function parseTurns(text: string | undefined): StoredTurn[] {
  try {
    const turns: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(turns) ? turns as StoredTurn[] : [];
  } catch {
    return [];
  }
}
