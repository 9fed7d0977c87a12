/**
 * The metrics layer reaches a model as the query_metrics tool: its JSON schema is generated from the metric specs,
 * and a scripted Converse run that calls it gets back the same figures hand-written SQL gives, with totals over
 * every matching record.
 */
import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect } from '../../../runtime/engines/collect.ts';
import { createConverseEngine } from '../../../runtime/engines/converse/index.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let project: ShippedProject;
let requests: ConverseCommandInput[];
let events: Awaited<ReturnType<typeof collect>>['events'];

const CALL = { measure: 'pipeline', group_by: 'region', filters: 'segment = Enterprise', period: '2026-01-01..2026-03-31' };

beforeAll(async () => {
  project = await shippedProject();
  bedrock.reset();
  bedrock.on(ConverseCommand)
    .resolvesOnce(callsTool('data', { request: 'Enterprise pipeline by region for Q1 2026' }))
    .resolvesOnce(callsTool('query_metrics', CALL))
    .resolvesOnce(says('Enterprise pipeline for Q1 2026 by region.'))
    .resolvesOnce(says('Enterprise pipeline for Q1 2026 by region.'));
  const engine = createConverseEngine({ manifest: project.manifest, toolbox: project.toolbox, env: {}, now: () => NOW, retry: { sleep: vi.fn(async () => {}), random: () => 0.5 } });
  ({ events } = await collect(engine.invoke({ agent: 'manager', text: 'Enterprise pipeline by region for Q1 2026?', sessionId: 'metrics' })));
  requests = bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
}, 60_000);
afterAll(() => project?.close());

describe('query_metrics in a Converse run', () => {
  it('offers the data collaborator a schema generated from the metric specs', () => {
    const tool = requests[1]!.toolConfig!.tools!.find((t) => t.toolSpec?.name === 'query_metrics')!.toolSpec!;
    const schema = tool.inputSchema!.json as { required: string[]; properties: Record<string, { enum?: string[] }> };
    const measures = project.manifest.metrics.flatMap((m) => m.measures.map((x) => x.name)).sort();
    expect(schema.required).toEqual(['measure']);
    expect(schema.properties.measure!.enum).toEqual(measures);
    expect(Object.keys(schema.properties)).toEqual(['measure', 'group_by', 'filters', 'period', 'compare', 'limit', 'order']);
  });

  it('hands back the figures hand-written SQL gives, with the total over every record', async () => {
    const truth = (await project.warehouse.query(`SELECT a.region, SUM(o.amount) AS v, COUNT(*) AS n FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id
      WHERE o.is_closed = false AND o.segment = 'Enterprise' AND o.close_date BETWEEN '2026-01-01' AND '2026-03-31' GROUP BY a.region ORDER BY v DESC`)).rows;
    const [block] = requests[2]!.messages!.at(-1)!.content!;
    const json = block!.toolResult!.content![0]!.json as { rows: Array<Record<string, unknown>>; totals: Record<string, unknown> };
    expect(json.rows.map((r) => [r.region ?? 'Unassigned', r.value])).toEqual(truth.map((r) => [r.region ?? 'Unassigned', r.v]));
    expect(json.totals).toMatchObject({ value: truth.reduce((s, r) => s + Number(r.v), 0), records: truth.reduce((s, r) => s + Number(r.n), 0) });
    expect(events.find((e) => e.type === 'tool_call')).toMatchObject({ tool: 'query_metrics', parameters: CALL });
  });
});
