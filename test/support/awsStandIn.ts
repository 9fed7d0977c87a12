/**
 * A loopback stand-in for the AWS APIs the Lambda functions call, for runs of the BUILT bundles in a child process
 * (the deploy bench, the bundle tests), where aws-sdk-client-mock cannot reach. The real SDK clients talk to it
 * through AWS_ENDPOINT_URL. It answers like AWS does:
 * - Secrets Manager GetSecretValue (JSON protocol): the configured value, or ResourceNotFoundException;
 * - SQS SendMessage (JSON protocol): a message id and the body's MD5, which the client checks;
 * - S3 (path style): PUT stores the object (with `If-None-Match: *` only a new one, with `If-Match: <etag>` only
 *   over that version: 412 PreconditionFailed otherwise), GET/HEAD return it or 404 NoSuchKey, DELETE removes it;
 * - anything else: 403 AccessDeniedException. (Bedrock InvokeAgent has its own HTTP/2 stand-in,
 *   bedrockAgentRuntimeStandIn.ts.)
 * Every call is counted by `service.operation`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const awsJson = (res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  res.end(JSON.stringify(body));
};

export class AwsStandIn {
  readonly counts = new Map<string, number>();
  readonly objects = new Map<string, string>();
  private server?: Server;

  /** `secrets`: SecretId (ARN) -> SecretString. */
  constructor(private readonly secrets: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      read(req).then((body) => this.answer(req, body, res)).catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private count(call: string): void {
    this.counts.set(call, (this.counts.get(call) ?? 0) + 1);
  }

  private answer(req: IncomingMessage, body: string, res: ServerResponse): void {
    const target = req.headers['x-amz-target'];
    if (target === 'secretsmanager.GetSecretValue') {
      this.count('secretsmanager.GetSecretValue');
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      const value = this.secrets[SecretId];
      if (value === undefined) return awsJson(res, 400, { message: `no secret ${SecretId}` }, 'ResourceNotFoundException');
      return awsJson(res, 200, { ARN: SecretId, Name: SecretId, SecretString: value });
    }
    if (target === 'AmazonSQS.SendMessage') {
      this.count('sqs.SendMessage');
      const { MessageBody } = JSON.parse(body) as { MessageBody: string };
      return awsJson(res, 200, { MessageId: `msg-${this.counts.get('sqs.SendMessage')}`, MD5OfMessageBody: md5(MessageBody) });
    }
    if (target || !['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method ?? '')) {
      this.count(`other.${req.method}`);
      return awsJson(res, 403, { message: 'stand-in: not answered here' }, 'AccessDeniedException');
    }
    const key = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    this.count(`s3.${req.method}`);
    if (req.method === 'PUT') {
      const current = this.objects.get(key);
      const ifMatch = req.headers['if-match'];
      if ((req.headers['if-none-match'] === '*' && current !== undefined)
        || (ifMatch !== undefined && (current === undefined || ifMatch !== `"${md5(current)}"`))) {
        res.writeHead(412, { 'content-type': 'application/xml' });
        res.end('<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>');
        return;
      }
      this.objects.set(key, body);
      res.writeHead(200, { etag: `"${md5(body)}"` }).end();
      return;
    }
    if (req.method === 'DELETE') {
      this.objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    const object = this.objects.get(key);
    if (object === undefined) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(object), etag: `"${md5(object)}"` });
    res.end(req.method === 'HEAD' ? undefined : object);
  }
}
