/**
 * A step that fails is never answered as "no rows": the answer names what could not be checked and why in plain
 * words, keeps what the other steps found, shows no internal identifier, and the conversation record is partial.
 * Each case breaks one step of a shipped skill at its real boundary (SQL the warehouse rejects, a query the
 * read-only guard refuses, half-configured Gong credentials) and runs the real engine over the sample warehouse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestTool } from '../../../../compiler/manifest.ts';
import { collect, type InvokeResult } from '../../../../runtime/engines/collect.ts';
import { buildConversationRecord } from '../../../../runtime/engines/conversation.ts';
import { money } from '../../../../runtime/engines/offline/filters.ts';
import { seedProject, type SeededProject } from './seedProject.ts';
import { asKind } from '../../../support/tools.ts';

const THIS_QUARTER = { period_start: '2025-10-01', period_end: '2025-12-31' };

const patchTool = (name: string, patch: (t: ManifestTool) => ManifestTool) => (m: Manifest): Manifest =>
  ({ ...m, tools: m.tools.map((t) => (t.name === name ? patch(t) : t)) });

/** The competitor step reads a column the calls table does not have. */
const badColumn = patchTool('competitive_mentions', (t) => ({ ...asKind(t, 'sql'), sql: asKind(t, 'sql').sql.replace('SELECT id, competitor_mentions, objections', 'SELECT id, competitor_mentions, objection_notes') }));

/** The deals-at-risk step becomes model-style SQL that tries to delete; the read-only guard refuses it. */
const refusedQuery = (m: Manifest): Manifest => {
  const patched = patchTool('deals_at_risk', (t) => ({
    ...t, kind: 'sql_query', sql: undefined,
    parameters: [{ name: 'query', type: 'string', required: true, description: 'One SELECT statement.' }],
  }))(m);
  return {
    ...patched,
    agents: patched.agents.map((a) => ({
      ...a,
      skills: a.skills.map((s) => (s.name !== 'deals_at_risk' ? s : {
        ...s, steps: s.steps.map((step) => ({ ...step, with: { query: 'DELETE FROM opportunities WHERE is_closed = false' } })),
      })),
    })),
  };
};

/** Deal status reads its calls from Gong instead of the calls table (Gong is asked by account). */
const gongCalls = (m: Manifest): Manifest => ({
  ...m,
  agents: m.agents.map((a) => ({
    ...a,
    skills: a.skills.map((s) => (s.name !== 'deal_status' ? s : {
      ...s, steps: s.steps.map((step) => (step.tool !== 'deal_calls' ? step
        : { ...step, tool: 'gong_retrieval', with: { account_name: '{{ deal_lookup.rows[0].account_name }}' } })),
    })),
  })),
});

let broken: SeededProject;
let refusing: SeededProject;
let noGong: SeededProject;
let identifiers: RegExp;

beforeAll(async () => {
  [broken, refusing, noGong] = await Promise.all([
    seedProject({ patch: badColumn }),
    seedProject({ patch: refusedQuery }),
    seedProject({ patch: gongCalls, env: { GONG_ACCESS_KEY: 'key-without-its-secret' } }),
  ]);
  // Every table, every snake_case column and every tool name: none of them may reach the user's text.
  const columns = await broken.warehouse.query(
    "SELECT DISTINCT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'");
  const names = new Set<string>(broken.manifest.tools.map((t) => t.name));
  for (const row of columns.rows) {
    names.add(`${row['table_name']}\\.`);
    if (String(row['column_name']).includes('_')) names.add(String(row['column_name']));
  }
  names.add('objection_notes');
  identifiers = new RegExp(`\\b(${[...names].join('|')})\\b|\\b(SELECT|DELETE|Binder Error|Catalog Error|Parser Error)\\b|\\.ts:\\d+`, 'u');
}, 60_000);

afterAll(async () => {
  await Promise.all([broken, refusing, noGong].map((p) => p?.close()));
});

const ask = (p: SeededProject, text: string): Promise<InvokeResult> =>
  collect(p.engine.invoke({ agent: 'manager', text, sessionId: `s-${Math.random()}` }));

const recordOf = (p: SeededProject, text: string, r: InvokeResult) => buildConversationRecord({
  text, sessionId: 's', correlationId: 'c-1', channel: 'test', startedAt: r.events[0]!.at,
  toolKinds: Object.fromEntries(p.manifest.tools.map((t) => [t.name, t.kind])),
}, r.events);

const failedResults = (r: InvokeResult) => r.events.filter((e) => e.type === 'tool_result' && !e.ok);

describe('a failed step is never "no rows"', () => {
  it('bad column: the pipeline answer keeps the three steps that worked and says the competitor mentions could not be read', async () => {
    const question = 'What deals are closing this quarter?';
    const r = await ask(broken, question);
    expect(r).toMatchObject({ status: 'done', agent: 'data', skill: 'quarter_pipeline' });
    expect(r.answer).toContain("I couldn't read the competitor mentions on sales calls: the report behind it failed");
    expect(r.answer).not.toMatch(/No competitor was mentioned/u);
    const top = (await broken.toolbox.run('top_opportunities', THIS_QUARTER)).rows!;
    expect(r.answer).toContain(`${top[0]!.opportunity_name} (${money(top[0]!.amount)})`);
    expect(r.answer).toMatch(/Risk Factors/u);
    expect(r.answer).not.toMatch(identifiers);
    // The internal cause stays in the trace.
    expect(failedResults(r)).toEqual([expect.objectContaining({ tool: 'competitive_mentions', error: expect.stringMatching(/objection_notes/u) })]);
    const record = recordOf(broken, question, r);
    expect(record.response_content).toMatchObject({ status: 'partial', gaps: [{ tool: 'competitive_mentions', task: 'read the competitor mentions on sales calls' }] });
    expect(record.error_handling).toEqual([expect.objectContaining({ code: 'tool_failed', message: expect.stringMatching(/^competitive_mentions: /u) })]);
  });

  it('refused query: the only step failed, so the answer says what could not be checked instead of "no deals at risk"', async () => {
    const question = 'assess risks for deals closing this quarter';
    const r = await ask(refusing, question);
    expect(r).toMatchObject({ status: 'done', agent: 'deal_analysis', skill: 'deals_at_risk' });
    expect(r.answer).toMatch(/^I couldn't check the deals at risk: only read-only questions about the data are allowed\. I haven't filled the gap with a guess\./u);
    expect(r.answer).not.toMatch(/I found no open deals/u);
    expect(r.answer).not.toMatch(identifiers);
    expect(failedResults(r)).toEqual([expect.objectContaining({ tool: 'deals_at_risk', error: expect.stringMatching(/^refused: /u) })]);
    expect(recordOf(refusing, question, r).response_content.status).toBe('partial');
    const open = await refusing.warehouse.query('SELECT COUNT(*) AS n FROM opportunities WHERE is_closed = false');
    expect(Number(open.rows[0]!['n'])).toBeGreaterThan(0);
  });

  it('unconfigured Gong: the deal status comes from the CRM, and the answer says the call notes could not be read', async () => {
    const question = 'what is the status of the IXIS deal?';
    const r = await ask(noGong, question);
    expect(r).toMatchObject({ status: 'done', agent: 'deal_analysis', skill: 'deal_status' });
    expect(r.answer).toContain('**Deal Status: IXIS-Snowflake Cost Replacement**');
    expect(r.answer).toContain('Size: $2.1M');
    expect(r.answer).toContain("I couldn't read the call notes: the calls service is not configured.");
    expect(r.answer).not.toMatch(/No recorded calls/u);
    expect(r.answer).not.toMatch(identifiers);
    expect(r.answer).not.toMatch(/GONG_/u);
    expect(recordOf(noGong, question, r).response_content).toMatchObject({ status: 'partial', gaps: [{ tool: 'gong_retrieval', reason: 'the calls service is not configured' }] });
  });

  it('a turn with no failed step is recorded as done, without gaps', async () => {
    const question = 'assess risks for deals closing this quarter';
    const r = await ask(broken, question);
    const record = recordOf(broken, question, r);
    expect(record.response_content.status).toBe('done');
    expect(record.response_content.gaps).toBeUndefined();
  });
});

describe('no internal names in what the user reads', () => {
  it('a deal name it cannot tell: plain words, no table or column', async () => {
    const r = await ask(broken, 'what is the status of the deal?');
    expect(r.answer).toMatch(/I couldn't tell which deal name you mean, and I need it to look up the deal in the CRM\./u);
    expect(r.answer).not.toMatch(identifiers);
  });
});
