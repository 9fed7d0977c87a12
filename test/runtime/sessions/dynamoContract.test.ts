/**
 * The session store contract against a real implementation of the DynamoDB API: moto_server on loopback, whose
 * URL the integration lane passes as REVOPS_TEST_DYNAMODB_ENDPOINT (`moto_server -p <port>`). Skipped without it:
 * `npm test` needs no server.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, it } from 'vitest';
import { createDynamoSessionBackend } from '../../../runtime/sessions/dynamoBackend.ts';
import { sessionStoreContract } from './sessionStoreContract.ts';

const endpoint = process.env.REVOPS_TEST_DYNAMODB_ENDPOINT?.trim();

if (!endpoint) {
  describe.skip('session store contract: DynamoDB (set REVOPS_TEST_DYNAMODB_ENDPOINT to a moto_server URL)', () => it('needs a DynamoDB endpoint', () => {}));
} else {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  sessionStoreContract('DynamoDB (moto_server)', {
    async open(now) {
      const table = `sessions-${randomUUID()}`;
      await client.send(new CreateTableCommand({
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'session_key', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'session_key', KeyType: 'HASH' }],
      }));
      const backend = () => createDynamoSessionBackend({ table, client, now });
      return { backend: backend(), twin: async () => backend() };
    },
  });
}
