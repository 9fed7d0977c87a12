import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSearchTool } from '../../compiler/manifest.ts';
import { createToolbox } from '../../runtime/tools/createToolbox.ts';
import type { Warehouse } from '../../runtime/warehouse/warehouse.ts';
import { type LoopbackServer, startLoopbackServer } from './helpers/loopbackServer.ts';
import { openSampleWarehouse } from './helpers/sampleWarehouse.ts';
import { shippedTools, testContext } from './helpers/tools.ts';

const KEY = 'tvly-test-key';

let server: LoopbackServer;
let warehouse: Warehouse;
let tools: WebSearchTool[];

beforeAll(async () => {
  // Tavily-style provider: POST {query, max_results} with a bearer key, answers {results: [{title, url, content}]}.
  server = await startLoopbackServer((request) => {
    if (request.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { detail: 'invalid key' } };
    if (request.path === '/moved') return { status: 307, headers: { location: `http://127.0.0.2:${server.port}/search` } };
    if (request.path === '/huge') return { status: 200, body: { results: [], padding: 'x'.repeat(2 * 1024 * 1024) } };
    const { query, max_results } = JSON.parse(request.body) as { query: string; max_results: number };
    const results = Array.from({ length: 12 }, (_, i) => ({
      title: `${query} result ${i + 1}`, url: `https://news.example.com/${i + 1}`, content: `Snippet   ${i + 1}\nabout ${query}`, score: 0.9,
    }));
    return { status: 200, body: { query, results: results.slice(0, max_results) } };
  });
  warehouse = await openSampleWarehouse();
  // The shipped specs, pointed at the stand-in instead of the provider's host.
  tools = (await shippedTools())
    .filter((t): t is WebSearchTool => t.kind === 'web_search')
    .map((t) => ({ ...t, provider: { ...t.provider, url: `${server.url}/search` } }));
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

describe('web_search', () => {
  it('asks the provider and maps its results to title/url/snippet rows and a numbered text', async () => {
    const toolbox = createToolbox(tools, testContext(warehouse, { env: { WEB_SEARCH_API_KEY: KEY } }));
    const result = await toolbox.run('web_search', { query: 'DataCorp Series B', max_results: '3' });
    expect(result.error).toBeUndefined();
    expect(result.rows).toEqual([1, 2, 3].map((i) => ({
      title: `DataCorp Series B result ${i}`, url: `https://news.example.com/${i}`, snippet: `Snippet ${i} about DataCorp Series B`,
    })));
    expect(result.text).toBe([1, 2, 3].map((i) =>
      `${i}. DataCorp Series B result ${i} — https://news.example.com/${i}\n   Snippet ${i} about DataCorp Series B`).join('\n'));
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ query: 'DataCorp Series B', max_results: 3 });
  });

  it('company_research builds its query from the company and the focus', async () => {
    const toolbox = createToolbox(tools, testContext(warehouse, { env: { WEB_SEARCH_API_KEY: KEY } }));
    const result = await toolbox.run('company_research', { company: 'TechCorp', focus: 'funding' });
    expect(result.ok).toBe(true);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ query: 'TechCorp funding round investors', max_results: 5 });
    expect(result.rows).toHaveLength(5);
  });

  it('without a key it says search is not configured and returns no results', async () => {
    const before = server.requests.length;
    const toolbox = createToolbox(tools, testContext(warehouse, { env: {} }));
    const result = await toolbox.run('web_search', { query: 'anything' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'not_configured', message: 'Web search is not configured (set WEB_SEARCH_API_KEY) — no external results were retrieved.' },
    });
    expect(result.rows).toBeUndefined();
    expect(server.requests.length).toBe(before);
  });

  it('reports a rejected key as an upstream failure without echoing the key', async () => {
    const toolbox = createToolbox(tools, testContext(warehouse, { env: { WEB_SEARCH_API_KEY: 'bad-key-123' } }));
    const result = await toolbox.run('web_search', { query: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain('check WEB_SEARCH_API_KEY');
    expect(result.error!.message).not.toContain('bad-key-123');
  });

  it.each([
    ['/moved', 'Web search (tavily) answered HTTP 307 (a redirect to http://127.0.0.2:'],
    ['/huge', 'Web search (tavily) answered more than 1048576 bytes; reading stopped there.'],
  ])('goes through the outbound guard: %s is an upstream failure', async (path, message) => {
    const moved = tools.map((t) => ({ ...t, provider: { ...t.provider, url: `${server.url}${path}` } }));
    const before = server.requests.length;
    const result = await createToolbox(moved, testContext(warehouse, { env: { WEB_SEARCH_API_KEY: KEY } })).run('web_search', { query: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain(message);
    expect(server.requests.length).toBe(before + 1); // the redirect was not followed
  });
});
