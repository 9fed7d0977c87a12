/**
 * A loopback stand-in for the AWS calls `revops doctor` makes, answering as AWS does, for the real SDK clients
 * pointed at it (AWS_ENDPOINT_URL): SQS GetQueueAttributes / GetQueueUrl (JSON protocol), S3 ListObjectsV2 and
 * GetObject (path style; 403 AccessDenied on a bucket without list permission, and then for a missing key too, as
 * real S3 does), Secrets Manager GetSecretValue, Bedrock Runtime Converse, and Bedrock Agents GetAgent /
 * GetAgentAlias. Its state is plain fields a test changes to misconfigure the deployment. The Bedrock Runtime client
 * speaks HTTP/2, so Converse is also served on a cleartext HTTP/2 port (`runtimeUrl`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface StandInQueue {
  url: string;
  arn: string;
  messages: number;
  deadLetterArn?: string;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
  res.end(JSON.stringify(body));
};
const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
};
const s3Error = (res: ServerResponse, status: number, code: string) => xml(res, status, `<Error><Code>${code}</Code><Message>${code}</Message></Error>`);

export class DoctorAwsStandIn {
  readonly queues = new Map<string, StandInQueue>();
  /** Bucket name -> whether this role may list it. */
  /** `listable`: the role may list the prefix; `missingKey`: what a GET of a missing key answers when it may (real S3 may say 403 to a prefix-limited grant). */
  readonly buckets = new Map<string, { listable: boolean; missingKey?: 403 | 404 }>();
  readonly secrets = new Map<string, string>();
  /** Model ids this account may invoke. */
  readonly models = new Set<string>();
  readonly agents = new Map<string, { status: string; aliases: Record<string, string> }>();
  private server?: Server;
  private runtime?: Http2Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** For AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
  get runtimeUrl(): string {
    return `http://127.0.0.1:${(this.runtime?.address() as AddressInfo).port}`;
  }

  addQueue(name: string, messages = 0, withDeadLetters = true): StandInQueue {
    const dlq = withDeadLetters ? this.addQueue(`${name}-dlq`, 0, false) : undefined;
    const queue = { url: `${this.url}/123456789012/${name}`, arn: `arn:aws:sqs:us-east-1:123456789012:${name}`, messages, ...(dlq ? { deadLetterArn: dlq.arn } : {}) };
    this.queues.set(name, queue);
    return queue;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void read(req).then((body) => this.handle(req, res, body)));
    this.runtime = createHttp2Server((req, res) => void read(req as unknown as IncomingMessage)
      .then((body) => this.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse, body)));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.runtime!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    await new Promise<void>((resolve) => this.runtime?.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const url = new URL(req.url ?? '/', this.url);
    if (target.startsWith('AmazonSQS.')) return this.sqs(target.slice('AmazonSQS.'.length), JSON.parse(body || '{}') as Record<string, string>, res);
    if (target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const value = this.secrets.get(SecretId);
      return value === undefined
        ? json(res, 400, { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find ${SecretId}` })
        : json(res, 200, { ARN: SecretId, Name: SecretId, SecretString: value });
    }
    const converse = /^\/model\/(.+)\/converse$/u.exec(url.pathname);
    if (req.method === 'POST' && converse) {
      const model = decodeURIComponent(converse[1]!);
      if (!this.models.has(model)) {
        return json(res, 403, { message: `You don't have access to the model with the specified model ID.` }, { 'x-amzn-errortype': 'AccessDeniedException' });
      }
      return json(res, 200, { output: { message: { role: 'assistant', content: [{ text: 'p' }] } }, stopReason: 'max_tokens', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } });
    }
    const agent = /^\/agents\/([^/]+)\/(?:agentaliases\/([^/]+)\/)?$/u.exec(url.pathname);
    if (req.method === 'GET' && agent) return this.agent(agent[1]!, agent[2], res);
    return this.s3(req.method ?? 'GET', url, res);
  }

  private sqs(operation: string, input: Record<string, string>, res: ServerResponse): void {
    const byUrl = [...this.queues.values()].find((q) => q.url === input.QueueUrl);
    const missing = () => json(res, 400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
      { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' });
    if (operation === 'GetQueueUrl') {
      const queue = this.queues.get(input.QueueName!);
      return queue ? json(res, 200, { QueueUrl: queue.url }) : missing();
    }
    if (operation === 'GetQueueAttributes') {
      if (!byUrl) return missing();
      return json(res, 200, { Attributes: {
        ApproximateNumberOfMessages: String(byUrl.messages),
        ...(byUrl.deadLetterArn ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: byUrl.deadLetterArn, maxReceiveCount: 3 }) } : {}),
      } });
    }
    return json(res, 400, { __type: 'InvalidAction', message: operation });
  }

  private agent(agentId: string, aliasId: string | undefined, res: ServerResponse): void {
    const agent = this.agents.get(agentId);
    const notFound = () => json(res, 404, { message: `${agentId} not found` }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
    if (!agent) return notFound();
    if (!aliasId) return json(res, 200, { agent: { agentId, agentName: agentId, agentStatus: agent.status, agentArn: `arn:aws:bedrock:us-east-1:1:agent/${agentId}` } });
    const status = agent.aliases[aliasId];
    return status ? json(res, 200, { agentAlias: { agentId, agentAliasId: aliasId, agentAliasName: 'live', agentAliasStatus: status } }) : notFound();
  }

  private s3(method: string, url: URL, res: ServerResponse): void {
    const [, bucketName, ...key] = url.pathname.split('/');
    const bucket = this.buckets.get(bucketName ?? '');
    if (!bucket) return s3Error(res, 404, 'NoSuchBucket');
    if (method === 'GET' && url.searchParams.get('list-type') === '2') {
      if (!bucket.listable) return s3Error(res, 403, 'AccessDenied');
      return xml(res, 200, `<ListBucketResult><Name>${bucketName}</Name><Prefix>${url.searchParams.get('prefix') ?? ''}</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>`);
    }
    const missingKey = bucket.listable ? bucket.missingKey ?? 404 : 403;
    if (method === 'GET' && key.length) return s3Error(res, missingKey, missingKey === 404 ? 'NoSuchKey' : 'AccessDenied');
    return s3Error(res, 405, 'MethodNotAllowed');
  }
}
