/**
 * Runaway templates end with liquidjs's limit errors instead of hanging the engine: rendered directly, and in a
 * hand-made manifest the compiler never checked (a loop bomb validate would have refused).
 */
import { describe, expect, it } from 'vitest';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createOfflineEngine } from '../../../../runtime/engines/offline/index.ts';
import { TEMPLATE_LIMITS } from '../../../../compiler/liquid.ts';
import { createTemplateEngine } from '../../../../runtime/engines/offline/template.ts';
import { agent, fakeToolbox, manifest, skill, tool } from './fixtures.ts';

const NOW = () => new Date('2025-08-16T16:30:00Z');

describe('template limits', () => {
  const t = createTemplateEngine(NOW);

  it('stops a loop over a literal range of a hundred million at the memory limit', async () => {
    await expect(t.render('{% for i in (1..100000000) %}lol{% endfor %}', {})).rejects.toThrow(/memory alloc limit exceeded/);
  });

  it('stops nested loops over rows, which charge no memory, at the render-time limit', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => i);
    const bomb = '{% for a in rows %}{% for b in rows %}{{ a }}{{ b }}{% endfor %}{% endfor %}';
    await expect(t.render(bomb, { rows })).rejects.toThrow(/template render limit exceeded/);
  });

  it('stops a string that doubles itself at the memory limit', async () => {
    const bomb = '{% assign s = "lol" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';
    await expect(t.render(bomb, {})).rejects.toThrow(/memory alloc limit exceeded/);
  });

  it('refuses to parse a template longer than the parse limit', () => {
    expect(() => t.compile('x'.repeat(TEMPLATE_LIMITS.parseLimit + 1))).toThrow(/parse length limit exceeded/);
  });

  it('renders an ordinary loop as before', async () => {
    expect(await t.render('{% for i in (1..3) %}{{ i }}{% endfor %}', {})).toBe('123');
  });

  it('answers a question whose skill template is a loop bomb with an error event, not a hang', async () => {
    const lookup = tool('deal_lookup');
    const deals = agent('deals', {
      tools: ['deal_lookup'],
      skills: [skill('status', {
        examples: ['status of the Acme deal'],
        steps: [{ tool: 'deal_lookup', with: {}, optional: false }],
        answer: '{% for a in (1..100000) %}{% for b in (1..100000) %}lol{% endfor %}{% endfor %}',
      })],
    });
    const m = manifest({ deals: ['status of the Acme deal', 'what is the status of the deal', 'deal status'] }, [deals], [lookup]);
    const engine = await createOfflineEngine({ manifest: m, toolbox: fakeToolbox([lookup], () => ({ rows: [{ x: 1 }] })), now: NOW });
    const result = await collect(engine.invoke({ agent: 'boss', text: 'status of the Acme deal', sessionId: 's' }));
    expect(result.status).toBe('failed');
    expect(result.events.at(-1)).toMatchObject({ type: 'error', code: 'offline_failed' });
    expect(JSON.stringify(result.events.at(-1))).toMatch(/(template render|memory alloc) limit exceeded/);
  });
});
