/**
 * Test-local engines at the Engine boundary: they yield scripted trace events (a route, a tool call with rows, an
 * answer built from the question), optionally slowly or failing, so runtime tests do not depend on specs or data.
 */
import type { Engine, InvokeRequest } from '../../runtime/engines/engine.ts';
import type { TraceEvent } from '../../runtime/engines/trace.ts';

export interface ScriptedEngineOptions {
  delayMs?: number | ((request: InvokeRequest) => number);
  /** Ends with an error event instead of an answer. */
  fail?: (request: InvokeRequest) => boolean;
  /** Answer text; default repeats the question and states figures found in the rows. */
  answer?: (request: InvokeRequest) => string;
}

export function scriptedEngine(options: ScriptedEngineOptions = {}): Engine & { invocations: InvokeRequest[] } {
  const invocations: InvokeRequest[] = [];
  return {
    name: 'offline',
    invocations,
    async *invoke(request) {
      invocations.push(request);
      const at = (): string => new Date().toISOString();
      yield { type: 'route', agent: request.agent, at: at(), target: 'deal_analysis', confidence: 0.9 } satisfies TraceEvent;
      yield { type: 'tool_call', agent: 'deal_analysis', at: at(), tool: 'deal_lookup', callId: 'c1', parameters: { deal_name: 'IXIS' } };
      const delay = typeof options.delayMs === 'function' ? options.delayMs(request) : options.delayMs ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      yield {
        type: 'tool_result', agent: 'deal_analysis', at: at(), tool: 'deal_lookup', callId: 'c1', ok: true, rowCount: 1,
        durationMs: 5, rows: [{ opportunity_name: 'IXIS-Snowflake', amount: 2100000, probability: 75, close_date: '2025-12-31' }],
      };
      if (options.fail?.(request)) {
        yield { type: 'error', agent: request.agent, at: at(), code: 'model_unavailable', message: 'The model is not reachable.' };
        return;
      }
      const text = options.answer?.(request) ?? `Answer to: ${request.text}\n- Size: $2.1M\n- Probability: 75%\n- Close: 2025-12-31`;
      yield { type: 'answer', agent: request.agent, at: at(), text, skill: 'deal_status' };
    },
  };
}
