/**
 * A loopback stand-in for Bedrock Runtime's Converse, for runs of the BUILT processor bundle with the converse
 * engine in a child process. The real client speaks HTTP/2 (its NodeHttp2Handler), cleartext with prior knowledge
 * over `http://`, as `node:http2`'s plain server does; the client finds it through AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
 * Every `POST /model/<id>/converse` is answered with one assistant message (the given text, stop reason `end_turn`)
 * and recorded with its model id.
 */
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

export class BedrockRuntimeStandIn {
  readonly calls: Array<{ modelId: string; body: unknown }> = [];
  private server?: Http2Server;

  constructor(private readonly answer: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer();
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const match = /^\/model\/([^/]+)\/converse$/.exec(String(headers[':path'] ?? ''));
        if (!match) {
          stream.respond({ ':status': 404, 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
          stream.end(JSON.stringify({ message: `no such operation: ${String(headers[':path'])}` }));
          return;
        }
        this.calls.push({ modelId: decodeURIComponent(match[1]!), body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end(JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: this.answer }] } }, stopReason: 'end_turn',
          usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 }, metrics: { latencyMs: 5 },
        }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
