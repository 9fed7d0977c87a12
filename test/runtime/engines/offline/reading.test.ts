/**
 * Issue 11, points 3-5, against the shipped specs and the sample warehouse (clock pinned to the seed's Friday):
 * names bind only on a good match, every qualifier is applied or declared, and questions are read like a colleague
 * would (typos, terse names, slang, action verbs, out of scope). Expected values are read from the warehouse or the
 * tools, so the tests follow the sample data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect, type InvokeResult } from '../../../../runtime/engines/collect.ts';
import { seedProject, type SeededProject } from './seedProject.ts';

let p: SeededProject;

/** Notifications may go nowhere: the allow list admits no URL the tool would use, so nothing leaves the machine. */
const noWebhookTargets = (m: Manifest): Manifest => ({
  ...m, tools: m.tools.map((t) => (t.name === 'webhook_executor' ? { ...t, allow: ['https://allowed.invalid/only/'] } : t)),
});

beforeAll(async () => {
  p = await seedProject({ patch: noWebhookTargets });
});
afterAll(() => p?.close());

const ask = (text: string): Promise<InvokeResult> => collect(p.engine.invoke({ agent: 'manager', text, sessionId: `s-${Math.random()}` }));
const calls = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' ? [{ tool: e.tool, params: e.parameters }] : []));
const rowsOf = (r: InvokeResult, tool: string) => r.events.flatMap((e) => (e.type === 'tool_result' && e.tool === tool ? e.rows ?? [] : []));
const query = async (sql: string) => (await p.warehouse.query(sql)).rows;
const SIDE_EFFECTS = ['webhook_executor', 'firebolt_writer'];

describe('names bind only when the match is good enough to bet on', () => {
  it('a missing deal sharing one word with a real one is not bound to it', async () => {
    const [real] = await query("SELECT opportunity_name FROM opportunities WHERE opportunity_name ILIKE '%Enterprise%' LIMIT 1");
    expect(real).toBeDefined();
    for (const text of ['Status of the Wayne Enterprises deal', 'update the next step on the Wayne Enterprises deal to send pricing']) {
      const r = await ask(text);
      expect(calls(r)).toEqual([]);
      expect(r.answer).toContain('Wayne Enterprises');
      expect(r.answer).not.toContain(String(real!.opportunity_name));
      expect(r.notDone.map((n) => n.part)).toEqual([text]);
    }
  });

  it('a name several accounts share is listed and asked about, not picked', async () => {
    const accounts = await query("SELECT DISTINCT account_name FROM opportunities WHERE account_name ILIKE 'Kestrel %' ORDER BY 1");
    expect(accounts.length).toBeGreaterThan(1);
    const r = await ask('status of the Kestrel deal');
    expect(calls(r)).toEqual([]);
    expect(r.answer).toMatch(/Which one do you mean\?/u);
    const shown = [...r.answer.matchAll(/"([^"]+)"/gu)].map((m) => m[1]).filter((n) => n !== 'Kestrel');
    expect(shown.length).toBeGreaterThan(1);
    for (const name of shown) expect(accounts.map((a) => a.account_name)).toContain(name);
  });

  it('a deal named by its account and its own name binds both, and a pair no record holds binds neither', async () => {
    const [held] = await query(`SELECT account_name, split_part(opportunity_name, ' - ', 1) AS product FROM opportunities
      WHERE account_name = 'Kestrel Energy' AND split_part(opportunity_name, ' - ', 1) IN
        ('BI Acceleration', 'Warehouse Modernisation', 'Observability Pipeline', 'Streaming Ingestion', 'Embedded Analytics', 'Self-Serve Analytics')
      ORDER BY last_modified_date DESC LIMIT 1`);
    const r = await ask(`${held!.account_name} ${held!.product} status`);
    expect(calls(r)[0]).toMatchObject({ tool: 'deal_lookup', params: { account_name: 'Kestrel Energy' } });
    const rows = rowsOf(r, 'deal_lookup');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ account_name: 'Kestrel Energy' });
    expect(String(rows[0]!.opportunity_name)).toContain(String(held!.product));

    const [missing] = await query(`SELECT DISTINCT split_part(opportunity_name, ' - ', 1) AS product FROM opportunities
      WHERE split_part(opportunity_name, ' - ', 1) NOT IN (SELECT split_part(opportunity_name, ' - ', 1) FROM opportunities WHERE account_name = 'Kestrel Energy')
      AND opportunity_name LIKE '% - % - %' ORDER BY 1 LIMIT 1`);
    expect(missing).toBeDefined();
    const none = await ask(`status of the Kestrel Energy ${missing!.product} deal`);
    expect(calls(none)).toEqual([]);
    expect(none.answer).toContain(`Kestrel Energy ${missing!.product}`);
  });

  it('a deal named by its account alone is looked up by the account', async () => {
    const r = await ask('status of the Kestrel Energy deal');
    expect(calls(r)[0]).toMatchObject({ tool: 'deal_lookup', params: { deal_name: 'Kestrel Energy' } });
    for (const row of rowsOf(r, 'deal_lookup')) expect(row).toMatchObject({ account_name: 'Kestrel Energy' });
  });

  it('a name read through a typo is bound and the answer says how it was read; one typed as the data holds it is not', async () => {
    const [account] = await query("SELECT name FROM accounts WHERE name = 'Kestrel Energy'");
    const r = await ask('status of the Kestral Energy deal');
    expect(r.answer.split('\n')[0]).toBe(`_I read "Kestral Energy" as ${account!.name}._`);
    expect((await ask('status of the Kestrel Energy deal')).answer).not.toContain('I read');
  });

  it("keeps a person's full name together, typed in lower case, instead of reading a company one typo away", async () => {
    const people = await query("SELECT full_name, title FROM contacts WHERE full_name = 'Laura Novak'");
    const r = await ask('assess laura novak');
    expect(calls(r)[0]).toMatchObject({ tool: 'lead_lookup', params: { person_name: 'laura novak' } });
    expect(calls(r)[0]!.params).not.toHaveProperty('company');
    // Several people hold the name: each is listed, and the answer asks which one.
    expect(people.length).toBeGreaterThan(1);
    for (const p of people) expect(r.answer).toContain(`| ${p.full_name} | ${p.title} |`);
  });

  it('a person whose last name matches nobody with that first name is not found, not half-matched', async () => {
    const r = await ask('who is Ingrid Zorblax?');
    expect(r.agent).toBe('lead_analysis');
    expect(calls(r)).toEqual([]);
    expect(r.answer).toContain('"Ingrid Zorblax"');
  });

  it.each(['MQLs', 'ICP', 'QBR', 'ARR', 'SDR', 'PLG', 'EOQ'])('%s is a domain term, never a name', (term) => {
    const q = p.engine.analyse(`${term} for Acme this week`);
    expect(q.unknownNames.some((n) => n.includes(term))).toBe(false);
    expect(q.mentions.some((m) => m.typed.includes(term))).toBe(false);
  });
});

describe('every qualifier is applied or declared', () => {
  it('a customer type the tool takes is applied to every row', async () => {
    const r = await ask('churn risk for PLG customers');
    expect(calls(r)).toEqual([{ tool: 'churn_risk', params: { customer_type: 'PLG' } }]);
    const rows = rowsOf(r, 'churn_risk');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.customer_type).toBe('PLG');
    expect(r.notDone).toEqual([]);
  });

  it('a minimum amount goes to the list that takes it, and the totals beside it are declared', async () => {
    const r = await ask('Deals over $500K closing next month');
    expect(calls(r).find((c) => c.tool === 'top_opportunities')?.params).toMatchObject({ min_amount: 500_000, period_start: '2025-12-01' });
    for (const row of rowsOf(r, 'top_opportunities')) expect(Number(row.amount)).toBeGreaterThanOrEqual(500_000);
    expect(r.notDone).toEqual([{ part: 'over $500K', reason: expect.stringMatching(/part of this answer/u) }]);
  });

  it.each([
    ['which deals have stalled for 45 days?', 'for 45 days', /45 days/u],
    ['top 5 deals under $50K this quarter', 'under $50K', /deal size/u],
    ['top 5 deals under $50K this quarter', 'top 5', /how many/u],
    ["Sarah Johnson's deals closing this quarter", "Sarah Johnson's deals", /owner/u],
  ])('%s: "%s" is declared as not applied', async (text, part, reason) => {
    const r = await ask(text);
    const entry = r.notDone.find((n) => n.part === part);
    expect(entry?.reason).toMatch(reason);
    expect(r.answer).toContain(entry!.reason);
  });

  it('"under $50K" is never read as a minimum', async () => {
    const r = await ask('top 5 deals under $50K this quarter');
    expect(calls(r).find((c) => c.tool === 'top_opportunities')?.params.min_amount).toBe(100_000);
  });

  it('a region named with a measure is applied as a filter of the metrics layer', async () => {
    const r = await ask('EMEA pipeline for Q1 2027');
    expect(calls(r).find((c) => c.tool === 'query_metrics')?.params).toMatchObject({ measure: 'pipeline', filters: 'region = EMEA', period: '2027-01-01..2027-03-31' });
    expect(r.notDone).toEqual([]);
    expect(r.answer).toContain('region EMEA');
  });

  it('two periods compared are each answered', async () => {
    const r = await ask('compare Q3 and Q4 revenue');
    const call = calls(r).find((c) => c.tool === 'query_metrics');
    expect(call?.params).toMatchObject({ period: '2025-07-01..2025-09-30', compare: '2025-10-01..2025-12-31' });
    expect(r.answer).toContain('Jul 1, 2025 to Sep 30, 2025');
    expect(r.answer).toContain('Oct 1, 2025 to Dec 31, 2025');
  });

  it('a question whose qualifiers all reached a parameter declares nothing', async () => {
    for (const text of ['what is the status of the IXIS deal?', 'What deals are closing this quarter?', 'revenue trend for 2025']) {
      expect((await ask(text)).notDone).toEqual([]);
    }
  });
});

describe('several requests in one message', () => {
  it('answers the part it can and names the action it did not do, without calling a side-effecting tool', async () => {
    const r = await ask('status of IXIS and notify Sarah');
    expect(calls(r).map((c) => c.tool)).toEqual(['deal_lookup', 'deal_calls']);
    expect(r.answer).toContain('Deal Status: IXIS');
    expect(r.answer).toContain('"notify Sarah"');
    expect(r.notDone).toEqual([{ part: 'notify Sarah', reason: expect.any(String) }]);
  });

  it('answers two questions in turn', async () => {
    const r = await ask('What deals are closing this quarter? Also what is the status of DataCorp?');
    const tools = calls(r).map((c) => c.tool);
    expect(tools).toContain('pipeline_by_stage');
    expect(tools).toContain('deal_lookup');
    expect(r.answer).toMatch(/\*\*1\. What deals are closing this quarter\*\*[\s\S]*\*\*2\. what is the status of DataCorp\*\*/u);
  });

  it('looks up the first of several deals named and names the others as not looked up', async () => {
    const r = await ask('status of IXIS, DataCorp and TechFlow');
    expect(calls(r)[0]).toEqual({ tool: 'deal_lookup', params: { deal_name: 'IXIS' } });
    expect(r.notDone.map((n) => n.part)).toEqual(['DataCorp', 'TechFlow']);
  });

  it('an action among other requests is named as not done, even when it says what to write', async () => {
    const r = await ask('status of the TechFlow deal, then update its next step to security review');
    expect(calls(r).map((c) => c.tool)).not.toContain('firebolt_writer');
    expect(r.answer).toContain('TechFlow Migration');
    expect(r.notDone).toEqual([{ part: 'update its next step to security review', reason: expect.any(String) }]);
  });

  it('a second part that asks for an action goes to the action agent', async () => {
    const r = await ask("score this week's MQLs and notify the SDR team");
    expect(calls(r).map((c) => c.tool)).toEqual(['mql_leads']);
    expect(r.notDone).toEqual([{ part: 'notify the SDR team', reason: expect.any(String) }]);
  });

  it('keeps one request whole when "and" joins two things it asks about', async () => {
    const r = await ask('which deals are closing this month and what are they worth?');
    expect(r.answer).not.toMatch(/\*\*1\./u);
  });
});

describe('questions outside revenue operations', () => {
  it.each([
    'book me a flight to NYC next Tuesday',
    "what's the weather in Paris tomorrow?",
    'write me a poem about spring',
    'recommend a pizza place for lunch',
    'book a hotel in Boston for Monday',
  ])('%s: says so, with examples, and calls no tool', async (text) => {
    const r = await ask(text);
    expect(r.agent).toBe('manager');
    expect(calls(r)).toEqual([]);
    expect(r.answer).toMatch(/^That's outside what I do/u);
    expect(r.answer).toContain('"What is the status of the IXIS deal?"');
  });

  it.each(['book a meeting with DataCorp', 'the AE for IXIS', 'a Slack webhook', 'remind Sarah Johnson to send the MSA to DataCorp',
    'set IXIS forecast to commit', 'log a call with DataCorp today'])(
    '%s: no CRM write asked, so the CRM is never written', async (text) => {
      const r = await ask(text);
      expect(calls(r).filter((c) => c.tool === 'firebolt_writer')).toEqual([]);
      if (!/remind/u.test(text)) expect(calls(r).filter((c) => SIDE_EFFECTS.includes(c.tool))).toEqual([]);
    },
  );
});

describe('reading like a colleague', () => {
  it.each([
    ['staus of the ixis deel', 'deal_analysis', 'deal_status'],
    ['ixis?', 'deal_analysis', 'deal_status'],
    ['DataCorp?', 'deal_analysis', 'deal_status'],
    ['tell me about IXIS', 'deal_analysis', 'deal_status'],
    ["who's the champion on the IXIS deal?", 'deal_analysis', 'deal_status'],
    ['any risks on datacorp?', 'deal_analysis', 'deal_status'],
    ['pipe next q?', 'data', 'quarter_pipeline'],
    ['how many logos did we win last q', 'data', 'revenue_performance'],
    ['intel on ClickHouse?', 'web_search', 'company_research'],
    ['ping #deal-desk: DataCorp signed', 'execution', 'send_notification'],
    ['notfy the deal desk that DataCorp signed', 'execution', 'send_notification'],
    ['remind Sarah Johnson to send the MSA to DataCorp', 'execution', 'send_notification'],
    ['change the next step for IXIS to legal review', 'execution', 'crm_update'],
  ])('%s -> %s / %s', async (text, agent, skill) => {
    const r = await ask(text);
    expect(r).toMatchObject({ status: 'done', agent, skill });
  });

  it('a known person on their own is assessed as a lead', async () => {
    const [person] = await query("SELECT full_name FROM contacts WHERE full_name = 'John Smith' LIMIT 1");
    const r = await ask(`who is ${person!.full_name}?`);
    expect(r).toMatchObject({ agent: 'lead_analysis', skill: 'lead_assessment' });
    expect(calls(r)[0]).toMatchObject({ tool: 'lead_lookup', params: { person_name: person!.full_name } });
  });

  it('slang periods are read and stated: "next q" is next quarter', async () => {
    const r = await ask('pipe next q?');
    expect(calls(r)[0]?.params).toEqual({ period_start: '2026-01-01', period_end: '2026-03-31' });
    expect(r.answer).toContain('Jan 1, 2026 to Mar 31, 2026');
  });

  it.each([
    ['revenue trend for FY25 Q4', '2025-10-01', '2025-12-31'],
    ['revenue trend for Q4 FY25', '2025-10-01', '2025-12-31'],
    ['revenue for H1 2026', '2026-01-01', '2026-06-30'],
    ['revenue trend for 2025', '2025-01-01', '2025-12-31'],
    ['deals closing in the last 30 days', '2025-10-16', '2025-11-14'],
    ['revenue since Oct 1', '2025-10-01', '2025-11-14'],
    ['deals closing by EOQ', '2025-11-14', '2025-12-31'],
    ['revenue through EOY', '2025-11-14', '2025-12-31'],
    ['deals closing in December', '2025-12-01', '2025-12-31'],
  ])('%s uses %s to %s and says so', async (text, start, end) => {
    const r = await ask(text);
    expect(calls(r)[0]?.params).toMatchObject({ period_start: start, period_end: end });
    const day = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    expect(r.answer).toContain(day(start));
  });
});

describe('names, topics and periods read as a colleague would', () => {
  it('a deal named by the first words of its name binds that deal, not the account inside the name', async () => {
    const r = await ask('what is the status of the Microsoft Enterprise deal?');
    expect(calls(r)[0]).toEqual({ tool: 'deal_lookup', params: { deal_name: 'Microsoft Enterprise' } });
    expect(r.answer).toContain('Microsoft Enterprise Analytics Platform');
  });

  it('a segment word on its own qualifies the question and is never taken for a deal name', async () => {
    const r = await ask('Enterprise pipeline this quarter');
    // The pipeline report takes no segment; the metric does, so it answers.
    expect(r.skill).toBe('metric_question');
    expect(calls(r).some((c) => Object.values(c.params).includes('Enterprise'))).toBe(false);
    expect(calls(r)[0]?.params.filters).toBe('segment = Enterprise');
    expect(r.notDone).toEqual([]);
  });

  it('a name the data does not hold is not an off-topic word ("Umbrella" is not the weather)', async () => {
    const r = await ask('who is David Kimball at Umbrella?');
    expect(r.answer).not.toMatch(/outside what I do/u);
    expect(r.answer).toContain('David Kimball');
  });

  it('an ordinary word one edit from a routing word is not corrected into it ("stop" is not "step")', async () => {
    const r = await ask('what could stop the Microsoft deal from closing?');
    expect(r.skill).toBe('deal_status');
  });

  it('compared periods are each answered under the words the question used', async () => {
    const r = await ask('compare Q3 and Q4 revenue');
    expect(r.answer).toMatch(/Q3 2025[\s\S]*Q4 2025/u);
  });

  it.each(['translate this email into French', "what's the capital of Australia?"])('%s: outside what I do', async (text) => {
    const r = await ask(text);
    expect(r.answer).toMatch(/^That's outside what I do/u);
    expect(calls(r)).toEqual([]);
  });

  it('an action after an analysis of the same record is named as not done, not answered by the analysis', async () => {
    const r = await ask('status of DataCorp and ping the deal desk that it slipped');
    expect(calls(r).map((c) => c.tool)).toEqual(['deal_lookup', 'deal_calls']);
    expect(r.notDone).toEqual([{ part: 'ping the deal desk that it slipped', reason: expect.any(String) }]);
  });
});
