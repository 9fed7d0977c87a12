import { describe, expect, it } from 'vitest';
import type { ManifestParameter } from '../../../compiler/manifest.ts';
import { checkParameters } from '../../../runtime/tools/parameters.ts';
import { ToolFailure } from '../../../runtime/tools/toolFailure.ts';
import { makeTool } from '../../support/tools.ts';

const param = (name: string, fields: Partial<ManifestParameter>): ManifestParameter =>
  ({ name, type: 'string', required: false, description: `${name} parameter`, ...fields });

const tool = makeTool({
  name: 'typed',
  kind: 'sql',
  parameters: [
    param('deal_name', { required: true }),
    param('min_probability', { type: 'number' }),
    param('days', { type: 'integer', default: 30 }),
    param('open_only', { type: 'boolean' }),
    param('stages', { type: 'array', enum: ['Negotiate', 'Proposal', 'Verbal Commit'] }),
    param('focus', { enum: ['overview', 'news'], default: 'overview' }),
  ],
});

const failure = (raw: Record<string, unknown>): ToolFailure => {
  try {
    checkParameters(tool, raw);
  } catch (error) {
    if (error instanceof ToolFailure) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('checkParameters', () => {
  it('converts the strings Bedrock sends to the declared types and applies defaults', () => {
    expect(checkParameters(tool, {
      deal_name: 'IXIS', min_probability: '75', open_only: 'TRUE', stages: '["Negotiate","Proposal"]',
    })).toEqual({ deal_name: 'IXIS', min_probability: 75, days: 30, open_only: true, stages: ['Negotiate', 'Proposal'], focus: 'overview' });
  });

  it('accepts native values from in-process engines unchanged', () => {
    expect(checkParameters(tool, { deal_name: 'IXIS', min_probability: 0.5, days: 7, open_only: false, stages: ['Proposal'] }))
      .toMatchObject({ min_probability: 0.5, days: 7, open_only: false, stages: ['Proposal'] });
  });

  it('reads a comma-separated list as an array', () => {
    expect(checkParameters(tool, { deal_name: 'x', stages: 'Negotiate, Verbal Commit' })['stages']).toEqual(['Negotiate', 'Verbal Commit']);
  });

  it('treats empty strings and null as absent', () => {
    expect(checkParameters(tool, { deal_name: 'x', days: '', open_only: null })).toEqual({ deal_name: 'x', days: 30, focus: 'overview' });
  });

  it.each([
    [{}, 'Missing required parameter deal_name'],
    [{ deal_name: 'x', min_probability: 'high' }, 'min_probability must be a number'],
    [{ deal_name: 'x', min_probability: '75%' }, 'min_probability must be a number'],
    [{ deal_name: 'x', days: '2.5' }, 'days must be a whole number'],
    [{ deal_name: 'x', open_only: 'yes' }, 'open_only must be true or false'],
    [{ deal_name: 'x', stages: '[1' }, 'stages must be a list'],
    [{ deal_name: 'x', stages: 'Negotiate,Won' }, 'stages must be one of Negotiate, Proposal, Verbal Commit; got "Won"'],
    [{ deal_name: 'x', focus: 'gossip' }, 'focus must be one of overview, news'],
    [{ deal_name: ['a'] }, 'deal_name must be a string'],
    [{ deal_name: 'x', owner: 'Sarah' }, 'Unknown parameter owner for typed; allowed: deal_name, min_probability, days, open_only, stages, focus'],
  ])('refuses %j: %s', (raw, message) => {
    const error = failure(raw);
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toContain(message);
  });
});

describe('checkParameters: parameters resolved as dates', () => {
  const dated = makeTool({
    name: 'dated',
    kind: 'sql',
    parameters: [param('period_start', { required: true, resolve: { date: 'start', default: 'this_quarter' } }), param('note', {})],
  });
  const refusal = (value: unknown): ToolFailure => {
    try {
      checkParameters(dated, { period_start: value });
    } catch (error) {
      if (error instanceof ToolFailure) return error;
      throw error;
    }
    throw new Error('accepted');
  };

  it.each(['notadate', '20260101', '2026-02-30', '2026-13-01', '2026-1-1', "2026-01-01' OR 1=1", 20260101])(
    'refuses %j, naming the parameter and the form', (value) => {
      const error = refusal(value);
      expect(error.code).toBe('invalid_parameter');
      expect(error.message).toMatch(/^Parameter period_start must be a date in the form YYYY-MM-DD/);
    });

  it('accepts a calendar day (a leap day too) and leaves other strings alone', () => {
    expect(checkParameters(dated, { period_start: ' 2028-02-29 ', note: 'notadate' })).toEqual({ period_start: '2028-02-29', note: 'notadate' });
  });
});
