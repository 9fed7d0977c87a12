import { describe, expect, it } from 'vitest';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createOfflineEngine } from '../../../../runtime/engines/offline/index.ts';
import { agent, fakeToolbox, manifest, skill, tool, valuesWarehouse } from './fixtures.ts';

const NOW = () => new Date('2025-08-16T16:30:00Z');
const lookup = tool('deal_lookup', { parameters: [{ name: 'deal_name', type: 'string', required: true, description: 'deal', resolve: { values: 'opportunities.opportunity_name' } }] });
const deals = agent('deals', { description: 'deal status and risk', tools: ['deal_lookup'], skills: [skill('status', { examples: ['status of the Acme deal'], steps: [{ tool: 'deal_lookup', with: {}, optional: false }], answer: '{{ deal_lookup.rows[0].opportunity_name }}' })] });
const leads = agent('leads', { description: 'lead scoring and outreach', skills: [skill('assess', { examples: ['assess a lead'], answer: 'lead' })] });
const routes = {
  deals: ['what is the status of the Acme deal?', 'how likely is the Globex opportunity to close?', 'deal risks this quarter'],
  leads: ['assess John Smith from DataCorp as a lead', 'score our MQL leads this week', 'should we reach out to this lead?'],
};
const m = manifest(routes, [deals, leads], [lookup]);
const warehouse = valuesWarehouse({ 'opportunities.opportunity_name': ['IXIS-Snowflake Cost Replacement', 'TechFlow Migration', 'Acme Renewal'] });

describe('routing with a hand-made manifest', () => {
  it('routes by the nearest examples and masks names, so an unseen deal name routes like a seen one', async () => {
    const engine = await createOfflineEngine({ manifest: m, toolbox: fakeToolbox([lookup], () => ({ rows: [] })), warehouse, now: NOW });
    const router = engine.router('boss');
    expect(router.route(engine.analyse('what is the status of the IXIS deal?').terms).target).toBe('deals');
    expect(engine.analyse('what is the status of the IXIS deal?').terms).toEqual(engine.analyse('what is the status of the Acme deal?').terms);
    expect(router.route(engine.analyse('score the MQL leads from last week').terms).target).toBe('leads');
  });

  it('has no target when nothing is close, and the supervisor then answers with what it can do', async () => {
    const toolbox = fakeToolbox([lookup], () => ({ rows: [] }));
    const engine = await createOfflineEngine({ manifest: m, toolbox, warehouse, now: NOW });
    const decision = engine.router('boss').route(engine.analyse('what is the airspeed velocity of an unladen swallow').terms);
    expect(decision.target).toBeUndefined();
    const result = await collect(engine.invoke({ agent: 'boss', text: 'what is the airspeed velocity of an unladen swallow', sessionId: 's' }));
    expect(result).toMatchObject({ status: 'done', agent: 'boss' });
    expect(result.answer).toContain('deal status and risk');
    expect(result.answer).toContain('what is the status of the Acme deal?');
    expect(toolbox.calls).toEqual([]);
  });

  it('leaves one example out on request', async () => {
    const engine = await createOfflineEngine({ manifest: m, toolbox: fakeToolbox([lookup], () => ({ rows: [] })), now: NOW });
    const left = engine.router('boss', { agent: 'deals', text: 'deal risks this quarter' });
    expect(left.examples).toHaveLength(5);
    expect(left.examples.some((e) => e.text === 'deal risks this quarter')).toBe(false);
  });

  it('emits route, delegate, tool events and the answers in order, and binds the typed name the SQL can find', async () => {
    const toolbox = fakeToolbox([lookup], (_t, p) => ({ rows: String(p.deal_name) === 'IXIS' ? [{ opportunity_name: 'IXIS-Snowflake Cost Replacement' }] : [] }));
    const engine = await createOfflineEngine({ manifest: m, toolbox, warehouse, now: NOW });
    const result = await collect(engine.invoke({ agent: 'boss', text: 'what is the status of the IXIS deal?', sessionId: 's' }));
    expect(result.events.map((e) => `${e.type}:${e.agent}`)).toEqual([
      'route:boss', 'delegate:boss', 'tool_call:deals', 'tool_result:deals', 'answer:deals', 'delegate:boss', 'answer:boss']);
    expect(toolbox.calls).toEqual([{ tool: 'deal_lookup', params: { deal_name: 'IXIS' } }]);
    expect(result).toMatchObject({ status: 'done', agent: 'deals', skill: 'status', answer: 'IXIS-Snowflake Cost Replacement' });
  });

  it('resolves a misspelt name to the full value it is close to', async () => {
    const toolbox = fakeToolbox([lookup], () => ({ rows: [{ opportunity_name: 'x' }] }));
    const engine = await createOfflineEngine({ manifest: m, toolbox, warehouse, now: NOW });
    await collect(engine.invoke({ agent: 'boss', text: 'status of the Techflw deal', sessionId: 's' }));
    expect(toolbox.calls[0]?.params).toEqual({ deal_name: 'TechFlow Migration' });
  });

  it('says so plainly when the name matches nothing, without calling the tool', async () => {
    const toolbox = fakeToolbox([lookup], () => ({ rows: [] }));
    const engine = await createOfflineEngine({ manifest: m, toolbox, warehouse, now: NOW });
    const result = await collect(engine.invoke({ agent: 'boss', text: 'what is the status of the Zorblax deal?', sessionId: 's' }));
    expect(result.answer).toContain('"Zorblax"');
    expect(result.answer).toMatch(/found no deal name/);
    expect(toolbox.calls).toEqual([]);
  });
});
