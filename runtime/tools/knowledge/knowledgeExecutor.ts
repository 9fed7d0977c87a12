/**
 * Tools of kind `knowledge`: passages of the knowledge documents that answer a query, each with its source file.
 * With REVOPS_KNOWLEDGE_BASE_ID set (on AWS, the knowledge base the Pulumi program builds and fills from the same
 * documents) the Bedrock Knowledge Bases `Retrieve` API answers; otherwise the local full-text index over the
 * manifest's documents (runtime/knowledge). Both give the same columns, so skills and models read them alike.
 */
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { KnowledgeTool } from '../../../compiler/manifest.ts';
import { knowledgeIndex } from '../../knowledge/knowledgeIndex.ts';
import type { ExecutorOutput } from '../executor.ts';
import type { CheckedParams } from '../parameters.ts';
import { ToolFailure } from '../toolFailure.ts';
import type { ToolContext } from '../toolbox.ts';
import type { Row } from '../../warehouse/warehouse.ts';

const COLUMNS = ['section', 'title', 'source', 'passage', 'score'].map((name) => ({ name, type: name === 'score' ? 'DOUBLE' : 'VARCHAR' }));

let retrieveClient: BedrockAgentRuntimeClient | undefined;

async function retrieve(knowledgeBaseId: string, query: string, limit: number, ctx: ToolContext, signal?: AbortSignal): Promise<Row[]> {
  const { BedrockAgentRuntimeClient: Client, RetrieveCommand } = await import('../../aws/bedrockKnowledge.ts');
  const region = ctx.env.AWS_REGION?.trim() || ctx.env.AWS_DEFAULT_REGION?.trim();
  const client = ctx.knowledgeClient ?? (retrieveClient ??= new Client(region ? { region } : {}));
  try {
    const output = await client.send(new RetrieveCommand({
      knowledgeBaseId, retrievalQuery: { text: query },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: limit } },
    }), signal ? { abortSignal: signal } : {});
    return (output.retrievalResults ?? []).flatMap((r) => {
      const text = r.content?.text?.trim();
      if (!text) return [];
      const metadata = (r.metadata ?? {}) as Record<string, unknown>;
      const source = String(metadata.source ?? r.location?.s3Location?.uri ?? r.location?.type ?? 'knowledge base');
      return [{ section: String(metadata.section ?? metadata.title ?? ''), title: String(metadata.title ?? ''), source, passage: text, score: r.score ?? 0 }];
    });
  } catch (error) {
    throw new ToolFailure('upstream', `The knowledge base ${knowledgeBaseId} could not be searched: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
}

export async function runKnowledge(tool: KnowledgeTool, params: CheckedParams, ctx: ToolContext, signal?: AbortSignal): Promise<ExecutorOutput> {
  const query = String(params.query ?? '').trim();
  if (!query) throw new ToolFailure('invalid_parameter', 'query: say what to look up (a term, a stage, a column, a rule)');
  const limit = Math.min(tool.maxRows, 10);
  const knowledgeBaseId = ctx.env.REVOPS_KNOWLEDGE_BASE_ID?.trim();
  if (knowledgeBaseId) return { columns: COLUMNS, rows: await retrieve(knowledgeBaseId, query, limit, ctx, signal) };
  if (!ctx.knowledge) throw new ToolFailure('not_configured', 'No knowledge documents were loaded with this toolbox (specs/knowledge/*.md).');
  const rows = knowledgeIndex(ctx.knowledge).search(query, { limit })
    .map((h) => ({ section: h.section, title: h.title, source: h.source, passage: h.text, score: h.score }));
  return { columns: COLUMNS, rows };
}
