/**
 * A loopback stand-in for Bedrock Runtime's Converse, for runs of the BUILT processor bundle with the converse
 * engine in a child process. The real client speaks HTTP/2 (its NodeHttp2Handler), cleartext with prior knowledge
 * over `http://`, as `node:http2`'s plain server does; the client finds it through AWS_ENDPOINT_URL_BEDROCK_RUNTIME.
 * Every `POST /model/<id>/converse` is answered with one assistant message (the given text, stop reason `end_turn`)
 * and recorded with its model id.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { Http2StandIn } from './http2StandIn.ts';

export class BedrockRuntimeStandIn extends Http2StandIn {
  readonly calls: Array<{ modelId: string; body: unknown }> = [];

  constructor(private readonly answer: string) {
    super();
  }

  protected respond(stream: ServerHttp2Stream, path: string, body: string): void {
    const match = /^\/model\/([^/]+)\/converse$/.exec(path);
    if (!match) return this.notFound(stream, path);
    this.calls.push({ modelId: decodeURIComponent(match[1]!), body: JSON.parse(body || '{}') });
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: this.answer }] } }, stopReason: 'end_turn',
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 }, metrics: { latencyMs: 5 },
    }));
  }
}
