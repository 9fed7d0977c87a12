/**
 * The template check: loop bombs over literal ranges, found wherever Liquid lets a loop hide (inside if, capture,
 * liquid tags), and the dialect: the runtime's filters, and no tag that reads another template.
 */
import { describe, expect, it } from 'vitest';
import { loopBombs } from '../../compiler/check/templateLoops.ts';
import { analyseTemplate } from '../../compiler/check/templateAnalysis.ts';
import { compileVariant, errorCodes } from './helpers.ts';

const parsed = (template: string) => {
  const analysed = analyseTemplate(template);
  if (!analysed.ok) throw analysed.error;
  return analysed.parsed;
};
const bombs = (template: string) =>
  loopBombs(parsed(template)).map(({ begin, end, iterations }) => [template.slice(begin, end), iterations]);

describe('loopBombs', () => {
  it.each([
    ['{% for i in (1..10000) %}{% endfor %}', []],
    ['{% for i in (1..10001) %}{% endfor %}', [['{% for i in (1..10001) %}', 10001]]],
    ['{% for i in (-5000..5000) %}{% endfor %}', [['{% for i in (-5000..5000) %}', 10001]]],
    ['{% for i in (5..1) %}{% for j in (1..1000000) %}{% endfor %}{% endfor %}', []],
    ['{% for i in (1..n) %}{% for j in (1..n) %}{% endfor %}{% endfor %}', []],
    ['{% if x %}{% capture c %}{% for i in (1..200) %}{% tablerow j in (1..100) %}{% endtablerow %}{% endfor %}{% endcapture %}{% endif %}',
      [['{% tablerow j in (1..100) %}', 20000]]],
    ['{% liquid\nfor i in (1..1000)\n  for j in (1..1000)\n    echo j\n  endfor\nendfor %}', [['for j in (1..1000)\n', 1000000]]],
    ['{% for i in (1..100) %}{% else %}{% for j in (1..10000) %}{% endfor %}{% endfor %}', []],
    ['{% for i in rows %}{% for j in (1..10000) %}{% endfor %}{% endfor %}', []],
  ])('%s', (template, expected) => expect(bombs(template)).toEqual(expected));

  it('reports the outermost loop past the limit once, not every loop inside it', () => {
    expect(bombs('{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}')).toEqual([
      ['{% for i in (1..100000) %}', 100000]]);
  });
});

describe('the dialect the runtime renders with', () => {
  it.each([
    ["{% include 'shared' %}", 'RV5023'],
    ["{% render '/etc/hostname' %}", 'RV5023'],
    ["{% liquid layout 'page' %}", 'RV5023'],
    ['{{ calls.row_count | mony }}', 'RV5022'],
    ["{% liquid echo calls.row_count | plurl: 'call' %}", 'RV5022'],
  ])('reports %s without reading any file', async (tag, code) => {
    const result = await compileVariant({ 'specs/agents/deal_analysis.yaml': [['- Calls: {{ calls.row_count }}', `- Calls: ${tag} {{ calls.row_count }}`]] });
    expect(errorCodes(result)).toEqual([code]);
  });

  it('knows every filter the offline engine renders with', async () => {
    const filters = "{{ 1 | money }} {{ 1 | percent: 1 }} {{ now | date }} {{ now | days_from_now }} {{ calls.rows | table }} {{ 1 | plural: 'call' }} {{ 1 | measure: 'money' }} {{ calls | metric_table }} {{ 'a' | upcase }}";
    const result = await compileVariant({ 'specs/agents/deal_analysis.yaml': [['- Calls: {{ calls.row_count }}', `- Calls: ${filters}`]] });
    expect(errorCodes(result)).toEqual([]);
  });
});
