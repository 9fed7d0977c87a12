import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect, type InvokeResult } from '../../../../runtime/engines/collect.ts';
import { buildConversationRecord } from '../../../../runtime/engines/conversation.ts';
import { money, percent } from '../../../../runtime/engines/offline/filters.ts';
import { seedProject, type SeededProject } from './seedProject.ts';

const THIS_QUARTER = { period_start: '2025-10-01', period_end: '2025-12-31' };
const THIS_WEEK = { period_start: '2025-11-10', period_end: '2025-11-16' };

let p: SeededProject;
let hook: Server;
const received: Array<{ path: string; body: unknown }> = [];

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
};

/** Points the notification tool at a loopback receiver, listed explicitly in its allow list. */
const withLoopbackHook = (url: string) => (m: Manifest): Manifest => ({
  ...m,
  tools: m.tools.map((t) => t.name !== 'webhook_executor' ? t : {
    ...t, allow: [url], parameters: t.parameters.map((q) => (q.name === 'url' ? { ...q, default: `${url}notify` } : q)),
  }),
});

beforeAll(async () => {
  hook = createServer(async (req, res) => {
    received.push({ path: req.url ?? '', body: JSON.parse(await readBody(req)) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
  p = await seedProject({ patch: withLoopbackHook(url) });
});

afterAll(async () => {
  await p?.close();
  await new Promise((ok) => hook?.close(ok));
});

const ask = (text: string, sessionId = `s-${Math.random()}`): Promise<InvokeResult> =>
  collect(p.engine.invoke({ agent: 'manager', text, sessionId }));
const rowsOf = async (tool: string, params: Record<string, unknown>) => {
  const r = await p.toolbox.run(tool, params);
  expect(r.ok, r.error?.message).toBe(true);
  return r.rows!;
};
const calls = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' ? [{ tool: e.tool, params: e.parameters }] : []));

describe('the seed example questions, answered offline from the sample warehouse', () => {
  it('IXIS deal status: Negotiate, 75%, $2.1M, Sarah Johnson, read from the deal row', async () => {
    const r = await ask('what is the status of the IXIS deal?');
    expect(r).toMatchObject({ status: 'done', agent: 'deal_analysis', skill: 'deal_status' });
    const [deal] = await rowsOf('deal_lookup', { deal_name: 'IXIS' });
    expect(deal).toMatchObject({ stage_name: 'Negotiate', probability: 75, amount: 2_100_000, owner_name: 'Sarah Johnson' });
    expect(r.answer).toContain(`**Deal Status: ${deal!.opportunity_name}**`);
    expect(r.answer).toContain(`Stage: ${deal!.stage_name} (${percent(deal!.probability)} probability)`);
    expect(r.answer).toContain(`Size: ${money(deal!.amount)}`);
    expect(r.answer).toContain(`Owner: ${deal!.owner_name}`);
    expect(r.answer).toContain('$2.1M');
    expect(r.answer).toMatch(/MEDDPICC Analysis/);
    expect(calls(r).map((c) => c.tool)).toEqual(['deal_lookup', 'deal_calls']);
  });

  it('deals at risk closing this quarter: every deal the tool returns, with the total', async () => {
    const r = await ask('assess risks for deals closing this quarter');
    expect(r).toMatchObject({ agent: 'deal_analysis', skill: 'deals_at_risk' });
    expect(calls(r)).toEqual([{ tool: 'deals_at_risk', params: THIS_QUARTER }]);
    const rows = await rowsOf('deals_at_risk', THIS_QUARTER);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(r.answer).toContain(`**${row.opportunity_name}**`);
    const total = rows.reduce((sum, row) => sum + Number(row.amount), 0);
    expect(r.answer).toContain(money(total));
  });

  it('John Smith from DataCorp: ICP score out of 100 from the scoring query, and an engagement strategy', async () => {
    const r = await ask('assess John Smith from DataCorp as a lead');
    expect(r).toMatchObject({ agent: 'lead_analysis', skill: 'lead_assessment' });
    expect(calls(r)[0]).toEqual({ tool: 'lead_lookup', params: { person_name: 'John Smith', company: 'DataCorp' } });
    const [score] = await rowsOf('icp_score', { person_name: 'John Smith', company: 'DataCorp' });
    expect(r.answer).toContain(`${score!.icp_fit} (${score!.icp_score}/100)`);
    expect(r.answer).toContain('VP Data Engineering at DataCorp');
    expect(r.answer).toContain('Engagement Strategy');
  });

  it("this week's MQLs: each lead the query returns", async () => {
    const r = await ask('score our MQL leads from this week');
    expect(r).toMatchObject({ agent: 'lead_analysis', skill: 'mql_scoring' });
    expect(calls(r)).toEqual([{ tool: 'mql_leads', params: THIS_WEEK }]);
    const rows = await rowsOf('mql_leads', THIS_WEEK);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(r.answer).toContain(String(row.full_name));
  });

  it("the quarter's pipeline: the seed's three queries plus competitive mentions from calls", async () => {
    const r = await ask('What deals are closing this quarter?');
    expect(r).toMatchObject({ agent: 'data', skill: 'quarter_pipeline' });
    const TOP = { ...THIS_QUARTER, min_amount: 100_000 };
    const OPEN = { measure: 'pipeline', period: `${THIS_QUARTER.period_start}..${THIS_QUARTER.period_end}` };
    expect(calls(r)).toEqual(['pipeline_by_stage', 'top_opportunities', 'pipeline_risk', 'query_metrics', 'competitive_mentions']
      .map((tool) => ({ tool, params: tool === 'top_opportunities' ? TOP : tool === 'query_metrics' ? OPEN : THIS_QUARTER })));
    // The headline is the metrics layer's open pipeline, equal to the seed's risk query summed over its categories.
    const risk = await rowsOf('pipeline_risk', THIS_QUARTER);
    const add = (column: string): number => risk.reduce((sum, row) => sum + Number(row[column]), 0);
    expect(r.answer).toContain(`Total open pipeline: ${money(add('total_value'))} across ${add('deal_count')} opportunities`);
    const top = await rowsOf('top_opportunities', TOP);
    expect(top.slice(0, 3).map((t) => t.opportunity_name)).toEqual(['IXIS-Snowflake Cost Replacement', 'DataCorp Expansion', 'TechFlow Migration']);
    for (const t of top.slice(0, 3)) expect(r.answer).toContain(`${t.opportunity_name} (${money(t.amount)})`);
    const [mention] = await rowsOf('competitive_mentions', THIS_QUARTER);
    expect(r.answer).toContain(String(mention!.competitor));
  });

  it.each([
    ['which customers show churn risk signals?', 'churn_risk'],
    ['identify expansion opportunities based on usage trends', 'expansion_signals'],
  ])('%s', async (question, tool) => {
    const r = await ask(question);
    expect(r).toMatchObject({ agent: 'data', skill: tool });
    const rows = await rowsOf(tool, {});
    expect(rows.length).toBeGreaterThan(0);
    expect(r.answer).toContain(String(rows[0]!.account_name ?? rows[0]!.name));
  });

  it('company research says web search is not configured, and reports nothing from memory', async () => {
    const r = await ask('Research TechCorp company');
    expect(r).toMatchObject({ agent: 'web_search', skill: 'company_research', status: 'done' });
    expect(r.answer).toMatch(/not configured/);
    expect(r.events.find((e) => e.type === 'tool_result')).toMatchObject({ ok: false, error: expect.stringMatching(/^not_configured/) });
  });

  it('a notification is proposed with its recipient and message, and nothing is sent', async () => {
    const before = received.length;
    const r = await ask('send Sarah Johnson a Slack notification that IXIS moved to Negotiate');
    expect(r).toMatchObject({ agent: 'execution', skill: 'send_notification' });
    expect(r.events.find((e) => e.type === 'approval_needed')).toMatchObject({
      tool: 'webhook_executor', parameters: { recipient: 'Sarah Johnson', message: 'IXIS moved to Negotiate' },
    });
    expect(r.events.some((e) => e.type === 'tool_call' && e.tool === 'webhook_executor')).toBe(false);
    expect(received.length).toBe(before);
  });

  it('a CRM update is proposed for the one deal found, and nothing is written', async () => {
    const r = await ask('update the CRM next step for IXIS to schedule legal review');
    expect(r).toMatchObject({ agent: 'execution', skill: 'crm_update' });
    const [deal] = await rowsOf('deal_lookup', { deal_name: 'IXIS' });
    expect(r.events.find((e) => e.type === 'approval_needed')).toMatchObject({
      tool: 'firebolt_writer', parameters: { values: '{"next_step":"schedule legal review"}' },
    });
    const wanted = r.events.find((e) => e.type === 'approval_needed');
    expect(JSON.parse(String(wanted?.type === 'approval_needed' && wanted.parameters.key))).toEqual({ id: deal!.opportunity_id });
    expect(deal!.next_step).not.toBe('schedule legal review');
  });
});

describe('honest answers', () => {
  it('an unknown deal name: says it found none, calls no tool, invents no figure', async () => {
    const r = await ask('what is the status of the Zorblax deal?');
    expect(r.status).toBe('done');
    expect(r.answer).toContain('"Zorblax"');
    expect(r.answer).not.toMatch(/\$\d/);
    expect(calls(r)).toEqual([]);
  });

  it('a nonsense question: the supervisor says what it can do and looks nothing up', async () => {
    const r = await ask('what is the airspeed velocity of an unladen swallow?');
    expect(r).toMatchObject({ status: 'done', agent: 'manager' });
    expect(r.answer).toMatch(/not sure/);
    expect(r.answer).toContain('What is the status of the IXIS deal?');
    expect(calls(r)).toEqual([]);
  });
});

describe('follow-ups in one session', () => {
  it('"and what are its risks?" keeps the deal; "what about TechFlow?" keeps the agent and skill', async () => {
    const session = 'follow-up';
    await ask('what is the status of the IXIS deal?', session);
    const risks = await ask('and what are its risks?', session);
    expect(risks).toMatchObject({ agent: 'deal_analysis' });
    expect(calls(risks)[0]).toEqual({ tool: 'deal_lookup', params: { deal_name: 'IXIS' } });
    expect(risks.answer).toContain('IXIS-Snowflake Cost Replacement');
    const other = await ask('what about TechFlow?', session);
    expect(other).toMatchObject({ agent: 'deal_analysis', skill: 'deal_status' });
    expect(calls(other)[0]).toEqual({ tool: 'deal_lookup', params: { deal_name: 'TechFlow' } });
    const [deal] = await rowsOf('deal_lookup', { deal_name: 'TechFlow' });
    expect(other.answer).toContain(`Size: ${money(deal!.amount)}`);
  });

  it('a period carries on within one specialist, not through a turn of another into an unrelated question', async () => {
    const session = 'periods';
    await ask('how many deals did we win last quarter?', session);
    const within = await ask('what about by segment?', session);
    expect(JSON.stringify(calls(within).map((c) => c.params))).toContain('2025-07-01');
    await ask('assess John Smith from DataCorp', session);
    const after = await ask("what's the open pipeline?", session);
    expect(JSON.stringify(calls(after).map((c) => c.params))).not.toContain('2025-07-01');
  });

  it('"and by region?" after a figure keeps its measure and period, and a new session has neither', async () => {
    const session = 'figure-follow-up';
    await ask('how many deals did we win last quarter?', session);
    const byRegion = await ask('and by region?', session);
    expect(calls(byRegion)[0]).toEqual({ tool: 'query_metrics', params: { measure: 'won_deal_count', group_by: 'region', period: '2025-07-01..2025-09-30' } });
    const fresh = await ask('and by region?');
    expect(calls(fresh).some((c) => c.params.measure === 'won_deal_count')).toBe(false);
  });

  it('a different session does not inherit the deal', async () => {
    await ask('what is the status of the IXIS deal?', 'a');
    const r = await ask('and what are its risks?', 'b');
    expect(calls(r).some((c) => c.params.deal_name === 'IXIS')).toBe(false);
  });
});

describe('conversation record from the offline trace', () => {
  it('counts agents, tools and SQL queries and maps the handoff', async () => {
    const r = await ask('What deals are closing this quarter?');
    const record = buildConversationRecord({
      text: 'What deals are closing this quarter?', sessionId: 's', correlationId: 'c-1', channel: 'test', startedAt: r.events[0]!.at,
      toolKinds: Object.fromEntries(p.manifest.tools.map((t) => [t.name, t.kind])),
    }, r.events);
    expect(record.counts).toEqual({ agents: 2, tools: 5, sql_queries: 5 });
    expect(record.collaboration_map).toEqual([expect.objectContaining({ from: 'manager', to: 'data', output: r.answer })]);
    expect(record.response_content).toMatchObject({ agent: 'data', skill: 'quarter_pipeline', status: 'done', text: r.answer });
    expect(record.tool_executions.map((t) => [t.tool, t.ok, t.rows])).toEqual(
      r.events.flatMap((e) => (e.type === 'tool_result' ? [[e.tool, e.ok, e.rowCount]] : [])));
  });
});
