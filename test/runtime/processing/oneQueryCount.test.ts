/**
 * Issue 12: the SQL queries of one question are counted once (engines/collect.ts `countSqlQueries`) and metrics, the
 * conversation export and the webhook payload report that one figure. The question runs three SQL queries — two
 * that answer, one that fails, which counts (a failed query was still sent) — and one web search, which does not.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../compiler/manifest.ts';
import type { Engine } from '../../../runtime/engines/engine.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';
import { testManifest, webhookChannel } from '../helpers/manifest.ts';
import { startReceiver } from '../helpers/receiver.ts';
import { jsonPost, testRuntime } from '../helpers/runtime.ts';

function manifestWithTools(channel = webhookChannel()): Manifest {
  const manifest = testManifest(channel);
  const sql = manifest.tools[0]!;
  return { ...manifest, tools: [sql, { ...sql, name: 'pipeline_by_stage', kind: 'sql_query' }, { ...sql, name: 'company_research', kind: 'web_search',
    provider: { name: 'tavily', url: 'http://127.0.0.1:9/search', apiKeyEnv: 'TAVILY_API_KEY' } }] };
}

/** Three SQL calls (the second fails) and a web search, then an answer. */
const severalQueries: Engine = {
  name: 'offline',
  async *invoke(request) {
    const at = new Date().toISOString();
    const call = (tool: string, callId: string): TraceEvent => ({ type: 'tool_call', agent: 'deal_analysis', at, tool, callId, parameters: {} });
    yield { type: 'route', agent: request.agent, at, target: 'deal_analysis' };
    yield call('deal_lookup', 'c1');
    yield { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c1', ok: true, rowCount: 1, rows: [{ amount: 1 }] };
    yield call('pipeline_by_stage', 'c2');
    yield { type: 'tool_result', agent: 'deal_analysis', at, tool: 'pipeline_by_stage', callId: 'c2', ok: false, error: 'query cancelled after 5000 ms' };
    yield call('deal_lookup', 'c3');
    yield { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c3', ok: true, rowCount: 0, rows: [] };
    yield call('company_research', 'c4');
    yield { type: 'tool_result', agent: 'deal_analysis', at, tool: 'company_research', callId: 'c4', ok: true, rowCount: 5 };
    yield { type: 'answer', agent: request.agent, at, text: 'IXIS is in negotiation.' };
  },
};

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met in time');
}

describe('one count of SQL queries', () => {
  it('reports the same figure, failed query included, in metrics, the export and the webhook payload', async () => {
    const receiver = await startReceiver();
    const rt = await testRuntime({
      manifest: manifestWithTools(), engine: severalQueries,
      env: { WEBHOOK_URL: receiver.url }, parts: { backoff: { deliveryMs: () => 0, retryMs: () => 0 } },
    });
    try {
      rt.startConsumers();
      const res = await rt.app.request('/webhook', jsonPost({ query: 'status of the IXIS deal', source_system: 'crm' }));
      expect(res.status).toBe(200);

      await receiver.waitFor(() => receiver.deliveries.length === 1);
      const payload = JSON.parse(receiver.deliveries[0]!.body) as { processing_metadata: { queries_executed: number } };
      const metric = /revops_sql_queries_executed_total\{[^}]*\} (\d+)/;
      const metricsText = async (): Promise<string> => (await rt.app.request('/metrics')).text();
      await until(async () => metric.test(await metricsText()));
      const fromMetrics = Number(metric.exec(await metricsText())![1]);
      const exports = join(rt.dataDir, 'conversations');
      const metadataFile = async () => (await readdir(exports, { recursive: true }).catch(() => [])).map(String).find((f) => f.endsWith('metadata.json') && !f.includes('.staging-'));
      await until(async () => (await metadataFile()) !== undefined);
      const folder = join(exports, (await metadataFile())!, '..');
      const metadata = JSON.parse(await readFile(join(folder, 'metadata.json'), 'utf8')) as { sql_queries: number };
      const conversation = JSON.parse(await readFile(join(folder, 'conversation.json'), 'utf8')) as { counts: { sql_queries: number } };

      expect({
        payload: payload.processing_metadata.queries_executed, metrics: fromMetrics,
        exportMetadata: metadata.sql_queries, exportConversation: conversation.counts.sql_queries,
      }).toEqual({ payload: 3, metrics: 3, exportMetadata: 3, exportConversation: 3 });
    } finally {
      await rt.dispose();
      await receiver.close();
    }
  });
});
