/**
 * The server side of the Bedrock stand-ins: cleartext HTTP/2 with prior knowledge on loopback, which is what the
 * AWS SDK's NodeHttp2Handler speaks over `http://` and `node:http2`'s plain server serves. Each request reaches
 * `respond` with its path and whole body; a service's stand-in answers it as that service does.
 */
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';

export abstract class Http2StandIn {
  private server?: Http2Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer();
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => this.respond(stream, String(headers[':path'] ?? ''), Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  protected abstract respond(stream: ServerHttp2Stream, path: string, body: string): void;

  /** What the service answers for a path it has no operation at. */
  protected notFound(stream: ServerHttp2Stream, path: string): void {
    stream.respond({ ':status': 404, 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
    stream.end(JSON.stringify({ message: `no such operation: ${path}` }));
  }
}
