/**
 * An answer about one record is about the record its lookup found: the later steps of a skill read that record by
 * its id, never by a second search on its name, and a name several records share is said to be shared. The truth
 * is read with SQL from the same seeded warehouse.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../../runtime/engines/collect.ts';
import type { Row } from '../../../../runtime/warehouse/warehouse.ts';
import { seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();
const { ask } = seeded;

const rows = async (sql: string): Promise<Row[]> => (await seeded.project.warehouse.query(sql)).rows;
const quoted = (v: unknown): string => `'${String(v).replace(/'/gu, "''")}'`;
const calls = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' ? [{ tool: e.tool, params: e.parameters }] : []));
const resultRows = (r: InvokeResult, tool: string): Array<Record<string, unknown>> =>
  r.events.flatMap((e) => (e.type === 'tool_result' && e.tool === tool ? [e.rows ?? []] : []))[0] ?? [];
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
