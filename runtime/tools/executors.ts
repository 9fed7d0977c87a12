/** One executor per tool kind (compiler/manifest.ts `ToolKind`); adding a kind means adding a line here. */
import type { ToolKind } from '../../compiler/manifest.ts';
import type { KindExecutor } from './executor.ts';
import { runGong } from './gong/gongExecutor.ts';
import { runKnowledge } from './knowledge/knowledgeExecutor.ts';
import { runMetrics } from './metrics/metricsExecutor.ts';
import { runSql } from './sql/sqlExecutor.ts';
import { runSqlQuery } from './sql/sqlQueryExecutor.ts';
import { runSqlWrite } from './sql/sqlWriteExecutor.ts';
import { runWebSearch } from './web/webSearchExecutor.ts';
import { runWebhook } from './webhook/webhookExecutor.ts';

export const executors: { [K in ToolKind]: KindExecutor<K> } = {
  sql: runSql,
  sql_query: runSqlQuery,
  sql_write: runSqlWrite,
  gong: runGong,
  web_search: runWebSearch,
  webhook: runWebhook,
  knowledge: runKnowledge,
  metrics: runMetrics,
};
