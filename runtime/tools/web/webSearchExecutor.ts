/**
 * Kind `web_search` (tools `web_search`, `company_research`): asks the HTTP search API named in the spec's
 * `provider`, with the key from `env[provider.apiKeyEnv]`. Request: `POST provider.url` with
 * `{query, max_results}` and `Authorization: Bearer <key>` (Tavily's shape). Results map to rows of
 * title/url/snippet plus a numbered text list; nothing is ever added that the provider did not return.
 *
 * Without a key the call fails with code `not_configured` (and says so in `text`): an empty success would let an
 * engine present "no results" as a finding, and the seed's instant-answer "search" did exactly that.
 *
 * Parameters: `query`, or `company` with an optional `focus` (company_research); `max_results` (default 5, 1..10).
 */
import type { WebSearchTool } from '../../../compiler/manifest.ts';
import type { Row } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import { fetchJson } from '../http/fetchJson.ts';
import { ToolFailure } from '../toolFailure.ts';
import type { CheckedParams } from '../parameters.ts';

const FOCUS_TERMS: Record<string, string> = {
  overview: 'company overview',
  news: 'latest news',
  funding: 'funding round investors',
  technology: 'technology stack engineering',
  competitors: 'competitors alternatives',
  leadership: 'leadership team executives',
};
const MAX_RESULTS = 10;
const SNIPPET_CHARS = 500;
/** Ten results with their snippets are a few KB; a search API answering more than this is not answering a search. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export const runWebSearch: KindExecutor<'web_search'> = async (tool, params, ctx, signal) => {
  const provider = tool.provider;
  if (!provider) throw new ToolFailure('not_configured', `Tool ${tool.name} names no search provider; add \`provider\` to its spec.`);
  const key = ctx.env[provider.apiKeyEnv];
  if (!key) {
    const message = `Web search is not configured (set ${provider.apiKeyEnv}) — no external results were retrieved.`;
    throw new ToolFailure('not_configured', message);
  }
  const query = searchQuery(tool, params);
  const maxResults = Math.min(MAX_RESULTS, Math.max(1, Number(params['max_results'] ?? 5)));
  const body = await fetchJson(ctx, {
    service: `Web search (${provider.name})`, url: provider.url, method: 'POST', signal, timeoutMs: tool.timeoutMs,
    maxResponseBytes: MAX_ANSWER_BYTES,
    headers: { authorization: `Bearer ${key}` },
    body: { query, max_results: maxResults },
    credentialsHint: `check ${provider.apiKeyEnv}`,
  });
  const rows = resultsOf(body).slice(0, maxResults);
  const text = rows.length === 0
    ? `The search for "${query}" returned no results.`
    : rows.map((r, i) => `${i + 1}. ${r['title']} — ${r['url']}\n   ${r['snippet']}`).join('\n');
  return {
    columns: ['title', 'url', 'snippet'].map((name) => ({ name, type: 'VARCHAR' })),
    rows,
    text,
  };
};

function searchQuery(tool: WebSearchTool, params: CheckedParams): string {
  if (typeof params['query'] === 'string') return params['query'];
  if (typeof params['company'] === 'string') {
    const focus = typeof params['focus'] === 'string' ? FOCUS_TERMS[params['focus']] ?? params['focus'] : FOCUS_TERMS['overview'];
    return `${params['company']} ${focus}`;
  }
  throw new ToolFailure('invalid_parameter', `Tool ${tool.name} needs a query (or company) parameter to search for.`);
}

/** Tavily and most JSON search APIs answer `results: [{title, url, content}]`; Google CSE answers `items: [{title, link, snippet}]`. */
function resultsOf(body: unknown): Row[] {
  const record = (body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(record['results']) ? record['results'] : Array.isArray(record['items']) ? record['items'] : [];
  return list.flatMap((item: unknown) => {
    const r = (item ?? {}) as Record<string, unknown>;
    const url = str(r['url']) ?? str(r['link']);
    if (!url) return [];
    const snippet = (str(r['content']) ?? str(r['snippet']) ?? str(r['description']) ?? '').replace(/\s+/g, ' ').trim();
    return [{ title: str(r['title']) ?? url, url, snippet: snippet.length > SNIPPET_CHARS ? `${snippet.slice(0, SNIPPET_CHARS - 3)}...` : snippet }];
  });
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);
