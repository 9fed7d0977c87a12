/**
 * The DynamoDB operations the runtime sends, re-exported by name (the session store). Imported on first use instead
 * of `@aws-sdk/client-dynamodb` itself, for the reason runtime/aws/s3.ts gives.
 */
export { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
