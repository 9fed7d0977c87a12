/**
 * InvokeAgent `completion` streams built from the SDK's own types, shaped like the traces Bedrock sends for a
 * supervisor (callerChain of one alias ARN) and its collaborators (a chain of two, `collaboratorName` set).
 */
import type { Caller, OrchestrationTrace, ResponseStream, RoutingClassifierTrace, Trace, TracePart } from '@aws-sdk/client-bedrock-agent-runtime';

export const SUPERVISOR_ARN = 'arn:aws:bedrock:us-east-1:123456789012:agent-alias/SUPAGENT01/ALIAS00001';
const collaboratorArn = (name: string): string => `arn:aws:bedrock:us-east-1:123456789012:agent-alias/${name.slice(0, 10).toUpperCase()}/ALIAS00002`;
const T0 = Date.parse('2025-11-14T09:00:00Z');

export const chunk = (text: string): ResponseStream => ({ chunk: { bytes: new TextEncoder().encode(text) } });
export const bytes = (data: Uint8Array): ResponseStream => ({ chunk: { bytes: data } });

/** A trace part emitted by the supervisor (collaborator undefined) or by a collaborator, `second` seconds in. */
export function part(trace: Trace, second: number, collaborator?: string): ResponseStream {
  const callerChain: Caller[] = [{ agentAliasArn: SUPERVISOR_ARN }, ...(collaborator ? [{ agentAliasArn: collaboratorArn(collaborator) }] : [])];
  const tracePart: TracePart = {
    agentId: 'SUPAGENT01', agentAliasId: 'ALIAS00001', sessionId: 'session-1', eventTime: new Date(T0 + second * 1000),
    callerChain, ...(collaborator ? { collaboratorName: collaborator } : { collaboratorName: 'revops-manager' }), trace,
  };
  return { trace: tracePart };
}

export const orchestration = (o: OrchestrationTrace): Trace => ({ orchestrationTrace: o });
export const routing = (r: RoutingClassifierTrace): Trace => ({ routingClassifierTrace: r });

export const delegateTo = (name: string, text: string, traceId = 't-deleg'): OrchestrationTrace => ({
  invocationInput: { traceId, invocationType: 'AGENT_COLLABORATOR', agentCollaboratorInvocationInput: { agentCollaboratorName: name, input: { type: 'TEXT', text } } },
});
export const collaboratorReturned = (name: string, text: string, traceId = 't-deleg'): OrchestrationTrace => ({
  observation: { traceId, type: 'AGENT_COLLABORATOR', agentCollaboratorInvocationOutput: { agentCollaboratorName: name, output: { type: 'TEXT', text } } },
});
export const callFunction = (fn: string, params: Record<string, string>, traceId: string): OrchestrationTrace => ({
  invocationInput: {
    traceId, invocationType: 'ACTION_GROUP',
    actionGroupInvocationInput: { actionGroupName: 'warehouse', function: fn, executionType: 'LAMBDA', parameters: Object.entries(params).map(([name, value]) => ({ name, type: 'string', value })) },
  },
});
export const functionReturned = (text: string, traceId: string, totalTimeMs?: number): OrchestrationTrace => ({
  observation: { traceId, type: 'ACTION_GROUP', actionGroupInvocationOutput: { text, ...(totalTimeMs !== undefined ? { metadata: { totalTimeMs } } : {}) } },
});
export const modelOutput = (inputTokens: number, outputTokens: number): OrchestrationTrace => ({
  modelInvocationOutput: { traceId: 'm', metadata: { usage: { inputTokens, outputTokens } } },
});

export async function* streamOf(items: ResponseStream[]): AsyncGenerator<ResponseStream> {
  for (const item of items) yield item;
}
