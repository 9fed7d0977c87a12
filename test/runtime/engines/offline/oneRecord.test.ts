/**
 * An answer about one record is about the record its lookup found: the later steps of a skill read that record by
 * its id, never by a second search on its name, and a name several records share is said to be shared. The truth
 * is read with SQL from the same seeded warehouse.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../../runtime/engines/collect.ts';
import { date } from '../../../../runtime/engines/offline/filters.ts';
import type { Row } from '../../../../runtime/warehouse/warehouse.ts';
import { NOW, seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();
const TODAY = NOW.toISOString().slice(0, 10);
const { ask } = seeded;

const rows = async (sql: string): Promise<Row[]> => (await seeded.project.warehouse.query(sql)).rows;
const quoted = (v: unknown): string => `'${String(v).replace(/'/gu, "''")}'`;
const calls = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' ? [{ tool: e.tool, params: e.parameters }] : []));
const resultRows = (r: InvokeResult, tool: string): Array<Record<string, unknown>> =>
  r.events.flatMap((e) => (e.type === 'tool_result' && e.tool === tool ? [e.rows ?? []] : []))[0] ?? [];
/** The answer's section under a bold heading, up to the blank line that ends it. */
const section = (answer: string, heading: string): string => answer.split(`**${heading}**\n`)[1]?.split('\n\n')[0] ?? '';
/** The answer's line that holds `text`. */
const lineWith = (answer: string, text: string): string | undefined => answer.split('\n').find((l) => l.includes(text));

describe('lead assessment: the person scored is the person found', () => {
  it('two people with one name at one company: each listed with the score of their own record, neither assessed as "the" lead', async () => {
    const [pair] = await rows(`SELECT c.full_name, a.name AS company FROM contacts c JOIN accounts a ON a.id = c.account_id
      GROUP BY ALL HAVING COUNT(*) = 2 ORDER BY 1, 2 LIMIT 1`);
    expect(pair).toBeDefined();
    const people = await rows(`SELECT c.id, c.title FROM contacts c JOIN accounts a ON a.id = c.account_id
      WHERE c.full_name = ${quoted(pair!.full_name)} AND a.name = ${quoted(pair!.company)} ORDER BY c.id`);
    expect(new Set(people.map((p) => p.title)).size).toBe(2);
    const r = await ask(`assess ${String(pair!.full_name)} at ${String(pair!.company)}`);
    expect(r).toMatchObject({ agent: 'lead_analysis', skill: 'lead_assessment' });
    expect(r.answer).toContain(`2 people match "${String(pair!.full_name)}" at ${String(pair!.company)}`);
    expect(r.answer).toContain('Which one should I assess?');
    expect(r.answer).not.toContain('ICP Analysis');
    const score = calls(r).find((c) => c.tool === 'icp_score');
    expect(String(score?.params.contact_ids).split(',').sort()).toEqual(people.map((p) => p.id));
    // The scoring query itself, asked by name, is the truth for each person's points; each is matched by id.
    const scored = (await seeded.project.toolbox.run('icp_score', { person_name: pair!.full_name, company: pair!.company })).rows!;
    for (const person of people) {
      const own = scored.find((s) => s.contact_id === person.id)!;
      expect(lineWith(r.answer, `| ${String(person.title)} |`), String(person.id)).toContain(`| ${String(own.icp_fit)} (${String(own.icp_score)}/100) |`);
    }
  });

  it('one person found: the score is read by the id the lookup returned', async () => {
    const r = await ask('assess John Smith from DataCorp as a lead');
    const [person] = resultRows(r, 'lead_lookup');
    expect(resultRows(r, 'lead_lookup')).toHaveLength(1);
    expect(calls(r).find((c) => c.tool === 'icp_score')?.params.contact_ids).toBe(person!.contact_id);
    expect(r.answer).toContain('ICP Analysis');
  });
});

describe('lead assessment: a known factor that earns nothing says so; "unknown" is said only of what is missing', () => {
  // The scoring rules of icp_score's description, restated in SQL.
  it.each([
    ['a funding stage that earns no points', "a.funding_stage NOT IN ('Series A', 'Series B', 'Series C', 'Series D', 'Series E', 'Public', 'Seed')",
      (p: Row) => `⚠️ ${String(p.funding_stage)}: no points for funding stage (+0/15)`],
    ['a company size outside the target', 'a.employee_count NOT BETWEEN 50 AND 20000',
      (p: Row) => `⚠️ Company size outside the target (${String(p.employee_band ?? p.employee_count)} employees) (+0/15)`],
    ['a low title tier', "c.title_tier = 'low'", (p: Row) => `⚠️ Junior title (${String(p.title)}): find the decision maker (+4/20)`],
  ])('%s', async (_, rule, line) => {
    const [person] = await rows(`SELECT c.full_name, a.name AS company, a.funding_stage, a.employee_band, a.employee_count, c.title
      FROM contacts c JOIN accounts a ON a.id = c.account_id
      WHERE ${rule} AND (SELECT COUNT(*) FROM contacts x JOIN accounts y ON y.id = x.account_id
        WHERE x.full_name ILIKE '%' || c.full_name || '%' AND y.name ILIKE '%' || a.name || '%') = 1
      ORDER BY c.id LIMIT 1`);
    expect(person).toBeDefined();
    const r = await ask(`assess ${String(person!.full_name)} at ${String(person!.company)}`);
    expect(r.answer).toContain(`**Lead: ${String(person!.full_name)}, ${String(person!.title)} at ${String(person!.company)}**`);
    expect(section(r.answer, 'ICP Analysis:')).toContain(line(person!));
    expect(section(r.answer, 'ICP Analysis:')).not.toMatch(/unknown/iu);
  });
});

/** A deal named as a colleague would ("the Cost Optimisation deal at Willow Logistics"): its kind and its account. */
const KIND = "split_part(o.opportunity_name, ' - ', 1)";
const ONLY_ONE_OF_ITS_KIND = `(SELECT COUNT(*) FROM opportunities x WHERE x.account_id = o.account_id
        AND split_part(x.opportunity_name, ' - ', 1) = ${KIND}) = 1`;

/** "From the <date> call (<title>): <next steps>", as the deal status lists a call's agreed next steps. */
const callLine = (c: Row): string => `From the ${date(c.call_date)} call (${String(c.title)}): ${String(c.next_steps)}`;

describe("deal status: a deal's calls are that deal's calls", () => {
  it("calls on the account's other deals are not this deal's next steps, risks or evidence", async () => {
    // An open deal whose account had a call on another deal after this deal's own latest call.
    const [deal] = await rows(`WITH own AS (SELECT opportunity_id, MAX(call_date) AS last_call FROM calls GROUP BY 1)
      SELECT o.id, o.opportunity_name, ${KIND} AS kind, o.account_name FROM opportunities o JOIN own ON own.opportunity_id = o.id
      WHERE NOT o.is_closed AND EXISTS (SELECT 1 FROM calls c WHERE c.account_id = o.account_id AND c.opportunity_id <> o.id
        AND c.call_date > own.last_call AND c.next_steps IS NOT NULL)
      AND ${ONLY_ONE_OF_ITS_KIND}
      ORDER BY o.id LIMIT 1`);
    expect(deal).toBeDefined();
    const r = await ask(`status of the ${String(deal!.kind)} deal at ${String(deal!.account_name)}`);
    expect(r.answer).toContain(`**Deal Status: ${String(deal!.opportunity_name)}**`);
    const own = await rows(`SELECT call_date, title, next_steps FROM calls WHERE opportunity_id = ${quoted(deal!.id)} ORDER BY call_date DESC LIMIT 2`);
    const others = await rows(`SELECT call_date, title, next_steps FROM calls c JOIN opportunities o ON o.id = ${quoted(deal!.id)}
      WHERE c.account_id = o.account_id AND c.opportunity_id <> o.id AND c.next_steps IS NOT NULL`);
    expect(others.length).toBeGreaterThan(0);
    for (const c of own.filter((x) => x.next_steps !== null)) expect(r.answer).toContain(callLine(c));
    const ownLines = own.map(callLine);
    for (const c of others.filter((x) => !ownLines.includes(callLine(x)))) expect(r.answer).not.toContain(callLine(c));
    expect(calls(r)).toContainEqual({ tool: 'deal_calls', params: { opportunity_id: deal!.id } });
  });

  it('a deal with no calls of its own says so, and borrows none from its account', async () => {
    const [deal] = await rows(`SELECT o.id, o.opportunity_name, ${KIND} AS kind, o.account_name FROM opportunities o
      WHERE NOT o.is_closed AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.opportunity_id = o.id)
      AND EXISTS (SELECT 1 FROM calls c WHERE c.account_id = o.account_id AND c.next_steps IS NOT NULL)
      AND ${ONLY_ONE_OF_ITS_KIND}
      ORDER BY o.id LIMIT 1`);
    expect(deal).toBeDefined();
    const r = await ask(`status of the ${String(deal!.kind)} deal at ${String(deal!.account_name)}`);
    expect(r.answer).toContain(`**Deal Status: ${String(deal!.opportunity_name)}**`);
    expect(r.answer).not.toMatch(/From the .* call|mentioned on the .* call/u);
    expect(r.answer).toContain('No recorded calls on this deal: MEDDPICC rests on CRM fields only');
  });
});

describe('deal status: a passed close date and a closed deal', () => {
  it('an open deal past its close date: that is its own risk, with the days since, and no negative days to close', async () => {
    const [deal] = await rows(`SELECT o.opportunity_name, ${KIND} AS kind, o.account_name, o.close_date,
        DATEDIFF('day', o.close_date, DATE '${TODAY}') AS overdue
      FROM opportunities o WHERE NOT o.is_closed AND o.close_date < DATE '${TODAY}'
        AND o.paper_process_score <= 1 AND ${ONLY_ONE_OF_ITS_KIND}
      ORDER BY o.id LIMIT 1`);
    expect(deal).toBeDefined();
    const r = await ask(`status of the ${String(deal!.kind)} deal at ${String(deal!.account_name)}`);
    expect(r.answer).toContain(`**Deal Status: ${String(deal!.opportunity_name)}**`);
    expect(r.answer).not.toMatch(/-\d+ days?|days? to close/u);
    expect(section(r.answer, 'Risks')).toContain(`- Close date passed ${Number(deal!.overdue)} days ago (${date(deal!.close_date)}) and the deal is still open`);
  });

  it.each(['Closed Won', 'Closed Lost'])('a %s deal: closed with its outcome, and none of the open-deal risks', async (stage) => {
    const [deal] = await rows(`SELECT o.opportunity_name, ${KIND} AS kind, o.account_name, o.close_date FROM opportunities o
      WHERE o.stage_name = '${stage}' AND o.last_activity_date < DATE '${TODAY}' - INTERVAL 14 DAY
        AND ${ONLY_ONE_OF_ITS_KIND}
      ORDER BY o.id LIMIT 1`);
    expect(deal).toBeDefined();
    const r = await ask(`status of the ${String(deal!.kind)} deal at ${String(deal!.account_name)}`);
    expect(r.answer).toContain(`**Deal Status: ${String(deal!.opportunity_name)}**`);
    expect(section(r.answer, 'Risks')).toBe(`- None open: the deal is closed (${stage}, ${date(deal!.close_date)})`);
    expect(r.answer).not.toMatch(/-\d+ days?|days? to close|Stale:|Expected close/u);
  });
});
