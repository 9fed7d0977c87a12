/**
 * The processor: one function that turns a queued message into a delivered answer, whatever carried it (the local
 * consumer or the SQS Lambda adapter). It runs the engine, forwards each trace event to the channel's progress
 * hook, builds the Outcome (an action the engine wanted waits for approval: approvalStep.ts; a decision message
 * settles one), delivers it (a throw leaves the message on the queue for a retry), records the message
 * as answered, exports the conversation and emits metrics. The message's dedupeKey is claimed first (doneSet.ts),
 * so a message delivered twice at once is answered once.
 */
import type { ManifestChannel, ToolKind } from '../../compiler/manifest.ts';
import type { Approvals } from '../approvals/approvals.ts';
import { proposeFromRun, runDecision } from './approvalStep.ts';
import { countSqlQueries } from '../engines/collect.ts';
import type { Engine } from '../engines/engine.ts';
import type { TraceEvent } from '../engines/trace.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics, MetricValues } from '../metrics/metrics.ts';
import type { Delivery, InboundMessage, Outcome } from './inbound.ts';
import { buildOutcome } from './outcome.ts';
import type { DoneSet } from './doneSet.ts';
import { CodedError } from '../../compiler/codedError.ts';

export interface ConversationExporter {
  export(message: InboundMessage, outcome: Outcome): Promise<unknown>;
}

export interface ProcessorDeps {
  engine: Engine;
  /** One Delivery per channel kind; a kind without one fails its messages with `channel_not_configured`. */
  deliveries: Partial<Record<InboundMessage['kind'], Delivery>>;
  /**
   * A message's `source` metric dimension and the counts its channel kind adds (channels/channelKind.ts
   * `processed`); default: the channel's name, nothing added.
   */
  processed?: (message: InboundMessage) => { source: string; counts?: MetricValues };
  exporter?: ConversationExporter;
  metrics: Metrics;
  logger: Logger;
  /** Answered dedupe keys, claimed before processing; without it a redelivered message is processed and delivered again. */
  done?: DoneSet;
  now?: () => Date;
  /** Engine run limit per message (the channel's processor timeout). */
  timeoutMs?: number;
  toolKinds?: Record<string, ToolKind>;
  /** Proposes and settles write and notify calls; without it such calls are answered as not set up. */
  approvals?: Approvals;
  /** For who-may-approve messages. */
  channels?: readonly ManifestChannel[];
  /**
   * How long a delivery that finds another delivery of its message in progress waits for that one's answer before
   * giving the message back to the queue (default 30 s). A message handled longer than its visibility timeout is
   * offered again; failing those at once would spend its receives and dead-letter a message that is being answered.
   */
  busyWaitMs?: number;
}

export interface Processor {
  /** `attempt` is the queue's receive count (1 on the first try). Throws when delivery failed and should be retried. */
  process(message: InboundMessage, attempt: number): Promise<void>;
}

export class ProcessingError extends CodedError<'channel_not_configured' | 'delivery_failed' | 'in_progress'> {
  override readonly name = 'ProcessingError';
}

const BUSY_WAIT_MS = 30_000;
const BUSY_POLL_MS = 100;

/** Polls until the other delivery has answered, or `waitMs` passes (bounded: at most waitMs / BUSY_POLL_MS reads). */
async function answeredMeanwhile(done: DoneSet, key: string, waitMs: number): Promise<boolean> {
  for (let waited = 0; waited < waitMs; waited += BUSY_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
    if (await done.has(key)) return true;
  }
  return false;
}

export function createProcessor(deps: ProcessorDeps): Processor {
  return {
    async process(message, attempt) {
      const log = deps.logger.child({ correlation_id: message.id, channel: message.channel, dedupe_key: message.dedupeKey });
      const delivery = deps.deliveries[message.kind];
      if (!delivery) throw new ProcessingError('channel_not_configured', `no delivery configured for ${message.kind} messages`);
      // Claimed before processing, not checked before and recorded after: two deliveries of one message at once
      // would both pass a check.
      const claim = await deps.done?.claim(message.dedupeKey);
      if (claim?.status === 'answered') {
        log.info('message already answered; not answering again', { attempt });
        return;
      }
      if (claim?.status === 'busy' && await answeredMeanwhile(deps.done!, message.dedupeKey, deps.busyWaitMs ?? BUSY_WAIT_MS)) {
        log.info('message answered by another delivery while this one waited; not answering again', { attempt });
        return;
      }
      if (claim?.status === 'busy') {
        throw new ProcessingError('in_progress', 'another delivery of this message is being processed; the queue will offer it again');
      }
      // Anything that stops this delivery before the answer is out gives the key back, so a retry may claim it.
      const { outcome, dims } = await answer(deps, message, delivery, attempt, log).catch(async (error: unknown) => {
        await claim?.release().catch((releaseError: unknown) => log.warn('answered-key claim not released', { error: releaseError }));
        throw error;
      });
      // Independent writes, so side by side: on Lambda each is a round trip to S3.
      const [, grounding] = await Promise.all([
        claim?.complete(),
        deps.exporter?.export(message, outcome).catch((error: unknown) => {
          log.warn('conversation export failed', { error });
          return undefined;
        }),
      ]);
      deps.metrics.emit(processedMetrics(outcome, grounding, channelMetrics(deps, message).counts), dims);
      log.info('processing finished', {
        status: outcome.status, agent: outcome.agent, skill: outcome.skill, error_code: outcome.error?.code,
        duration_ms: Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt),
      });
    },
  };
}

/**
 * Runs the engine (or settles a decision) and delivers the outcome; throws `delivery_failed` when the delivery did.
 * A decision's result goes where the question that asked for the action came from.
 */
async function answer(deps: ProcessorDeps, received: InboundMessage, delivery: Delivery, attempt: number, log: Logger) {
  const now = deps.now ?? (() => new Date());
  log.info('processing started', { attempt, agent: received.agent, ...(received.decision ? { approve: received.decision.approve } : {}) });
  const startedAt = now().toISOString();
  let message = received;
  let outcome: Outcome;
  if (received.decision) {
    const run = await runDecision(deps.approvals, deps.engine, deps.channels ?? [], received, received.decision, startedAt);
    message = run.message;
    outcome = {
      status: 'done', answer: run.answer, events: run.events, sqlQueries: countSqlQueries(run.events, deps.toolKinds),
      startedAt, finishedAt: now().toISOString(), ...(run.action ? { action: run.action } : {}),
    };
  } else {
    const events = await runEngine(deps, message, delivery, log);
    outcome = await proposeFromRun(deps.approvals, message, buildOutcome(message, events, startedAt, now().toISOString(), deps.toolKinds));
  }
  const dims = { source: channelMetrics(deps, message).source, request_type: message.kind, ...(outcome.agent ? { agent: outcome.agent } : {}) };
  try {
    await delivery.deliver(message, outcome);
  } catch (error) {
    deps.metrics.emit({ Errors: 1 }, dims);
    log.error('delivery failed; the queue will retry', { attempt, error });
    throw new ProcessingError('delivery_failed', error instanceof Error ? error.message : String(error), { cause: error });
  }
  return { outcome, dims };
}

async function runEngine(deps: ProcessorDeps, message: InboundMessage, delivery: Delivery, log: Logger): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const signal = deps.timeoutMs ? AbortSignal.timeout(deps.timeoutMs) : undefined;
  try {
    for await (const event of deps.engine.invoke({ agent: message.agent, text: message.text, sessionId: message.sessionId, ...(signal ? { signal } : {}) })) {
      events.push(event);
      // Progress is best effort: a failed Slack edit must not cost the user the answer.
      await delivery.progress(message, event).catch((error: unknown) => log.warn('progress update failed', { error }));
    }
  } catch (error) {
    log.error('engine failed', { error });
    const timedOut = signal?.aborted === true;
    events.push({
      type: 'error', agent: message.agent, at: (deps.now ?? (() => new Date()))().toISOString(),
      code: timedOut ? 'engine_timeout' : 'engine_failed',
      message: timedOut ? 'The agents did not finish within the processing time limit.' : 'The engine stopped unexpectedly.',
    });
  }
  return events;
}

const channelMetrics = (deps: ProcessorDeps, message: InboundMessage) => deps.processed?.(message) ?? { source: message.channel };

function processedMetrics(outcome: Outcome, exported: unknown, channelCounts?: MetricValues) {
  const agents = new Set(outcome.events.map((e) => e.agent));
  const grounding = (exported as { grounding?: { ratio: number | null } } | undefined)?.grounding?.ratio;
  return {
    ProcessingDuration: (Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt)) / 1000,
    AgentsInvoked: agents.size,
    SQLQueriesExecuted: outcome.sqlQueries,
    ToolExecutions: outcome.events.filter((e) => e.type === 'tool_call').length,
    ...channelCounts,
    ...(outcome.status === 'failed' ? { Errors: 1 } : {}),
    ...(typeof grounding === 'number' ? { AnswerGrounding: grounding } : {}),
  };
}
