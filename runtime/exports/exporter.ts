/**
 * Builds and writes the two files of one conversation export: `conversation.json` (the engines' conversation record
 * with grounding in place of the seed's quality scores) and `metadata.json` (the seed's summary fields), redacted.
 */
import { buildConversationRecord, type ConversationRecord } from '../engines/conversation.ts';
import type { InboundMessage, Outcome } from '../processing/inbound.ts';
import type { ConversationExporter } from '../processing/processor.ts';
import { measureGrounding, type Grounding } from './grounding.ts';
import { conversationFolder, type ExportSink } from './layout.ts';
import { redact, type Redaction } from '../redact.ts';

export interface ConversationMetadata {
  conversation_id: string;
  export_time: string;
  channel: string;
  session_id: string;
  dedupe_key: string;
  status: Outcome['status'];
  /** The action this conversation proposed or settled: who asked, who decided, when, the change, the outcome. */
  action: Outcome['action'] | null;
  route: { agent: string | null; skill: string | null };
  processing_time_seconds: number;
  agent_count: number;
  tool_executions: number;
  sql_queries: number;
  data_sources: string[];
  error: { code: string; message: string } | null;
  grounding: Grounding;
}

export interface ExportResult {
  location: string;
  grounding: Grounding;
}

/** Satisfies the processor's ConversationExporter; the result carries grounding for the processor's metrics. */
export interface Exporter extends ConversationExporter {
  export(message: InboundMessage, outcome: Outcome): Promise<ExportResult>;
}

export function createExporter(deps: {
  sink: ExportSink; now?: () => Date;
  /** Default: token shapes and secret-named keys; the process's own secrets need `redaction(configuredSecrets(env))`. */
  redaction?: Redaction;
}): Exporter {
  const now = deps.now ?? (() => new Date());
  const redacted = deps.redaction?.redact ?? redact;
  return {
    async export(message, outcome) {
      const record: ConversationRecord = buildConversationRecord({
        text: message.text, sessionId: message.sessionId, correlationId: message.id, channel: message.channel,
        startedAt: outcome.startedAt,
      }, outcome.events);
      const grounding = measureGrounding(outcome.status === 'done' ? outcome.answer : '', outcome.events);
      const conversation = {
        ...record,
        finished_at: outcome.finishedAt,
        // A delivered answer keeps the record's `partial`; a failed one is failed whatever the trace says.
        response_content: { ...record.response_content, text: outcome.answer, status: outcome.status === 'done' ? record.response_content.status : outcome.status },
        action: outcome.action ?? null,
        // The run's one count of queries, the figure metrics and the webhook payload report too.
        counts: { ...record.counts, sql_queries: outcome.sqlQueries },
        grounding,
      };
      const metadata: ConversationMetadata = {
        conversation_id: message.id,
        export_time: now().toISOString(),
        channel: message.channel,
        session_id: message.sessionId,
        dedupe_key: message.dedupeKey,
        status: outcome.status,
        action: outcome.action ?? null,
        route: { agent: outcome.agent ?? null, skill: outcome.skill ?? null },
        processing_time_seconds: (Date.parse(outcome.finishedAt) - Date.parse(outcome.startedAt)) / 1000,
        agent_count: record.counts.agents,
        tool_executions: record.counts.tools,
        sql_queries: outcome.sqlQueries,
        data_sources: [...new Set(record.tool_executions.map((t) => t.tool))],
        error: outcome.error ?? null,
        grounding,
      };
      const location = await deps.sink.write(conversationFolder(new Date(outcome.finishedAt), message.id), {
        'conversation.json': `${JSON.stringify(redacted(conversation), null, 2)}\n`,
        'metadata.json': `${JSON.stringify(redacted(metadata), null, 2)}\n`,
      });
      return { location, grounding };
    },
  };
}
