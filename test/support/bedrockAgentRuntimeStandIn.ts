/**
 * A loopback stand-in for Bedrock Agent Runtime's InvokeAgent, for runs of the BUILT processor bundle in a child
 * process. The real client speaks HTTP/2 (its NodeHttp2Handler); over `http://` that is cleartext HTTP/2 with prior
 * knowledge, which `node:http2`'s plain server speaks. The client finds it through the service's own endpoint
 * variable, AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME.
 *
 * It answers as the service does: 200 with an AWS event stream (`application/vnd.amazon.eventstream`) carrying a
 * `trace` event (the supervisor delegating to a collaborator and that collaborator's answer relayed back) and a
 * `chunk` event with the answer text, base64 in its JSON `bytes`. Each message is framed as the event-stream format
 * specifies: total and headers length, prelude CRC32, string headers (`:message-type`, `:event-type`,
 * `:content-type`), the payload, message CRC32. Every call is recorded with its path.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { crc32 } from 'node:zlib';
import { Http2StandIn } from './http2StandIn.ts';

const STRING_HEADER = 7;

function header(name: string, value: string): Buffer {
  const n = Buffer.from(name, 'utf8');
  const v = Buffer.from(value, 'utf8');
  const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
  out.writeUInt8(n.length, 0);
  n.copy(out, 1);
  out.writeUInt8(STRING_HEADER, 1 + n.length);
  out.writeUInt16BE(v.length, 2 + n.length);
  v.copy(out, 4 + n.length);
  return out;
}

/** One event-stream message: `:event-type` and a JSON payload. */
export function eventMessage(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat([header(':message-type', 'event'), header(':event-type', eventType), header(':content-type', 'application/json')]);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(withoutCrc), 0);
  return Buffer.concat([withoutCrc, messageCrc]);
}

export interface InvokeAgentCall {
  agentId: string;
  agentAliasId: string;
  sessionId: string;
  inputText: string;
}

export class BedrockAgentRuntimeStandIn extends Http2StandIn {
  readonly calls: InvokeAgentCall[] = [];

  /** `answer`: the text the agent answers with; `collaborator`: who the supervisor delegates to. */
  constructor(private readonly answer: string, private readonly collaborator = 'deal_analysis') {
    super();
  }

  protected respond(stream: ServerHttp2Stream, path: string, body: string): void {
    const match = /^\/agents\/([^/]+)\/agentAliases\/([^/]+)\/sessions\/([^/]+)\/text$/.exec(path);
    if (!match) return this.notFound(stream, path);
    const [, agentId, agentAliasId, sessionId] = match.map(decodeURIComponent) as [string, string, string, string];
    this.calls.push({ agentId, agentAliasId, sessionId, inputText: String((JSON.parse(body || '{}') as { inputText?: string }).inputText ?? '') });
    const aliasArn = `arn:aws:bedrock:us-east-1:123456789012:agent-alias/${agentId}/${agentAliasId}`;
    const part = (trace: unknown) => ({ agentId, agentAliasId, sessionId, callerChain: [{ agentAliasArn: aliasArn }], trace });
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-agent-content-type': 'application/json' });
    stream.write(eventMessage('trace', part({ orchestrationTrace: { invocationInput: {
      traceId: 't-1', invocationType: 'AGENT_COLLABORATOR',
      agentCollaboratorInvocationInput: { agentCollaboratorName: this.collaborator, input: { type: 'TEXT', text: 'status of IXIS' } },
    } } })));
    stream.write(eventMessage('trace', part({ orchestrationTrace: { observation: {
      traceId: 't-1', type: 'AGENT_COLLABORATOR',
      agentCollaboratorInvocationOutput: { agentCollaboratorName: this.collaborator, output: { type: 'TEXT', text: this.answer } },
    } } })));
    stream.end(eventMessage('chunk', { bytes: Buffer.from(this.answer, 'utf8').toString('base64') }));
  }
}
