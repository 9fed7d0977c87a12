/**
 * Reads an InvokeAgent `completion` stream: a confirmation request (`returnControl` for a function with
 * requireConfirmation) ends it as a `confirm` item; answer chunks decoded as UTF-8 (a multi-byte character can straddle
 * two chunks, so one streaming decoder is kept), trace parts passed on, and exceptions that arrive as stream
 * members (`throttlingException`, `accessDeniedException`, ...) thrown as errors named like the SDK's exception
 * classes, so throttling inside the stream is retried exactly like a throttled call.
 */
import type { ResponseStream, TracePart } from '@aws-sdk/client-bedrock-agent-runtime';

export type CompletionItem =
  | { kind: 'text'; text: string }
  | { kind: 'trace'; part: TracePart }
  /** The agent stopped before a function with requireConfirmation: it waits for the user's confirmation. */
  | { kind: 'confirm'; invocationId: string; actionGroup: string; function: string; parameters: Record<string, string> };

export class StreamError extends Error {
  constructor(override readonly name: string, message: string) {
    super(message);
  }
}

const exceptionName = (member: string): string => member[0]!.toUpperCase() + member.slice(1);

export async function* readCompletion(stream: AsyncIterable<ResponseStream>): AsyncGenerator<CompletionItem> {
  const decoder = new TextDecoder('utf-8');
  for await (const item of stream) {
    if (item.chunk) {
      const text = item.chunk.bytes ? decoder.decode(item.chunk.bytes, { stream: true }) : '';
      if (text) yield { kind: 'text', text };
    } else if (item.trace) {
      yield { kind: 'trace', part: item.trace };
    } else if (item.returnControl) {
      const input = item.returnControl.invocationInputs?.[0]?.functionInvocationInput;
      const confirmation = input?.actionInvocationType === 'USER_CONFIRMATION' || input?.actionInvocationType === 'USER_CONFIRMATION_AND_RESULT';
      if (!input?.function || !confirmation || !item.returnControl.invocationId) {
        throw new StreamError('ReturnControlNotSupported',
          'the agent returned control to the caller; every action group must use the Lambda executor the deploy creates');
      }
      yield {
        kind: 'confirm', invocationId: item.returnControl.invocationId, actionGroup: input.actionGroup ?? '', function: input.function,
        parameters: Object.fromEntries((input.parameters ?? []).map((p) => [p.name ?? '', p.value ?? ''])),
      };
      return;
    } else {
      const [member, value] = Object.entries(item).find(([key, v]) => key.endsWith('Exception') && v) ?? [];
      if (member) throw new StreamError(exceptionName(member), (value as { message?: string }).message ?? member);
    }
  }
  const rest = decoder.decode();
  if (rest) yield { kind: 'text', text: rest };
}
