import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_GROUP_RESPONSE_MAX_BYTES } from '../../compiler/manifest.ts';
import { handleActionGroupEvent } from '../../runtime/tools/actionGroupHandler.ts';
import { createToolbox } from '../../runtime/tools/createToolbox.ts';
import type { Toolbox } from '../../runtime/tools/toolbox.ts';
import type { Warehouse } from '../../runtime/warehouse/warehouse.ts';
import { openSampleWarehouse } from './helpers/sampleWarehouse.ts';
import { shippedTools, testContext } from './helpers/tools.ts';

/** The general format from the Bedrock user guide (function details), made valid JSON (one parameter entry). */
const documented = JSON.parse(readFileSync(new URL('./fixtures/bedrock-function-event.documented.json', import.meta.url), 'utf8'));
/** The same shape with this project's values: the deal agent looking up IXIS. */
const dealLookup = JSON.parse(readFileSync(new URL('./fixtures/bedrock-function-event.deal-lookup.json', import.meta.url), 'utf8'));

let warehouse: Warehouse;
let toolbox: Toolbox;

beforeAll(async () => {
  warehouse = await openSampleWarehouse();
  toolbox = createToolbox(await shippedTools(), testContext(warehouse));
});
afterAll(() => warehouse.close());

const event = (overrides: Record<string, unknown>) => ({ ...structuredClone(dealLookup), ...overrides });
const body = (response: Awaited<ReturnType<typeof handleActionGroupEvent>>) => response.response.functionResponse.responseBody.TEXT.body;

describe('handleActionGroupEvent: well-formed events', () => {
  it('answers the deal lookup event with the documented response shape', async () => {
    const response = await handleActionGroupEvent(dealLookup, toolbox);
    expect(response).toEqual({
      messageVersion: '1.0',
      response: { actionGroup: 'warehouse', function: 'deal_lookup', functionResponse: { responseBody: { TEXT: { body: expect.any(String) } } } },
      sessionAttributes: { channel: 'slack' },
      promptSessionAttributes: { today: '2025-11-15' },
    });
    const lines = body(response).split('\n');
    expect(lines[0]).toMatch(/^columns: opportunity_id \| opportunity_name \| stage_name \| probability/);
    expect(JSON.parse(lines[1]!).slice(0, 4)).toEqual(['opp-ixis', 'IXIS-Snowflake Cost Replacement', 'Negotiate', 75]);
    expect(lines.at(-1)).toBe('(1 row)');
  });

  it('fails the documented template event cleanly: its function "string" is not deployed', async () => {
    const response = await handleActionGroupEvent(documented, toolbox);
    expect(response.response).toMatchObject({ actionGroup: 'string', function: 'string', functionResponse: { responseState: 'FAILURE' } });
    expect(body(response)).toMatch(/^Error \(unknown_tool\): No tool named string\./);
    expect(response.sessionAttributes).toEqual({ string: 'string' });
  });

  it('converts string values by the declared type ("90" to the integer 90)', async () => {
    const response = await handleActionGroupEvent(event({
      actionGroup: 'calls', function: 'gong_retrieval',
      parameters: [{ name: 'account_name', type: 'string', value: 'IXIS' }, { name: 'days', type: 'integer', value: '90' }],
    }), toolbox);
    expect(response.response.functionResponse.responseState).toBeUndefined();
    expect(body(response)).toContain('(2 rows)');
  });

  it('accepts an event without parameters for a function that has none', async () => {
    const { parameters: _, ...rest } = structuredClone(dealLookup);
    const response = await handleActionGroupEvent({ ...rest, function: 'churn_risk' }, toolbox);
    expect(response.response.functionResponse.responseState).toBeUndefined();
  });

  it('truncates rows to the size budget and says how many were shown', async () => {
    const response = await handleActionGroupEvent(event({
      function: 'firebolt_sql_query',
      parameters: [{ name: 'query', type: 'string', value: `SELECT t.i * 10 + u.i AS n, '${'x'.repeat(40)}' AS pad FROM unnest([${[...Array(20).keys()]}]) t(i), unnest([${[...Array(10).keys()]}]) u(i)` }],
    }), toolbox, { maxResultChars: 2_000 });
    const text = body(response);
    expect(text.length).toBeLessThanOrEqual(2_000);
    const shown = text.split('\n').filter((line) => line.startsWith('[')).length;
    expect(shown).toBeGreaterThan(0);
    expect(text).toContain(`… showing ${shown} of 200 rows (cut at the size budget)`);
  });
});

describe('handleActionGroupEvent: Bedrock\'s response cap', () => {
  it('keeps a multi-byte result under the action-group response cap in bytes, not only in characters', async () => {
    const response = await handleActionGroupEvent(event({
      function: 'firebolt_sql_query',
      parameters: [{ name: 'query', type: 'string', value: `SELECT t.i AS n, '${'€'.repeat(60)}' AS pad FROM unnest([${[...Array(200).keys()]}]) t(i)` }],
    }), toolbox, { maxResultChars: 20_000 });
    const bytes = Buffer.byteLength(JSON.stringify(response));
    expect(body(response).length).toBeLessThan(15_000); // cut below the character budget: each '€' is 3 bytes
    expect(bytes).toBeLessThanOrEqual(ACTION_GROUP_RESPONSE_MAX_BYTES);
    expect(body(response)).toMatch(/… showing \d+ of/u);
  });

  it('measures the response as Bedrock receives it: JSON escaping counts, so a quote-heavy result is cut further', async () => {
    const response = await handleActionGroupEvent(event({
      function: 'firebolt_sql_query',
      parameters: [{ name: 'query', type: 'string', value: `SELECT t.i AS n, '${'"'.repeat(60)}' AS pad FROM unnest([${[...Array(400).keys()]}]) t(i)` }],
    }), toolbox, { maxResultChars: 20_000 });
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(ACTION_GROUP_RESPONSE_MAX_BYTES);
    expect(body(response)).toMatch(/… showing \d+ of 400 rows/u);
  });

  it('leaves room for the session attributes it echoes back, however large', async () => {
    const attributes = Object.fromEntries([...Array(12).keys()].map((i) => [`note${i}`, 'n'.repeat(1_000)]));
    const response = await handleActionGroupEvent(event({
      function: 'firebolt_sql_query', sessionAttributes: attributes,
      parameters: [{ name: 'query', type: 'string', value: `SELECT t.i AS n, '${'x'.repeat(60)}' AS pad FROM unnest([${[...Array(400).keys()]}]) t(i)` }],
    }), toolbox, { maxResultChars: 20_000 });
    expect(response.sessionAttributes).toEqual(attributes);
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThanOrEqual(ACTION_GROUP_RESPONSE_MAX_BYTES);
    expect(body(response)).toMatch(/… showing \d+ of 400 rows/u);
  });
});

describe('handleActionGroupEvent: problems the model can fix get REPROMPT', () => {
  it.each([
    ['a missing required parameter', { parameters: [] }, 'Missing required parameter deal_name'],
    ['an unknown parameter', { parameters: [{ name: 'deal_name', type: 'string', value: 'IXIS' }, { name: 'owner', type: 'string', value: 'x' }] }, 'Unknown parameter owner for deal_lookup; allowed: deal_name'],
    ['a parameter given twice', { parameters: [{ name: 'deal_name', type: 'string', value: 'a' }, { name: 'deal_name', type: 'string', value: 'b' }] }, 'Parameter deal_name was given twice'],
    ['a non-number for an integer', { actionGroup: 'calls', function: 'gong_retrieval', parameters: [{ name: 'account_name', type: 'string', value: 'IXIS' }, { name: 'days', type: 'integer', value: 'thirty' }] }, 'Parameter days must be a whole number'],
    ['a write statement in model SQL', { function: 'firebolt_sql_query', parameters: [{ name: 'query', type: 'string', value: 'DELETE FROM opportunities' }] }, 'found DELETE at position 1'],
    ['web search without a key', { actionGroup: 'research', function: 'web_search', parameters: [{ name: 'query', type: 'string', value: 'x' }] }, 'Web search is not configured'],
  ])('%s', async (_, overrides, message) => {
    const response = await handleActionGroupEvent(event(overrides), toolbox);
    expect(response.response.functionResponse.responseState).toBe('REPROMPT');
    expect(body(response)).toContain(message);
  });
});

describe('handleActionGroupEvent: malformed events get FAILURE naming the field', () => {
  it.each([
    ['null', null, 'event must be an object; got null'],
    ['an array', [], 'event must be an object; got array'],
    ['no function', event({ function: undefined }), 'event.function is missing'],
    ['no actionGroup', event({ actionGroup: undefined }), 'event.actionGroup is missing'],
    ['no messageVersion', event({ messageVersion: undefined }), 'event.messageVersion is missing'],
    ['no sessionId', event({ sessionId: undefined }), 'event.sessionId is missing'],
    ['no agent', event({ agent: undefined }), 'event.agent is missing'],
    ['agent as a string', event({ agent: 'deal_analysis' }), 'event.agent must be an object; got string'],
    ['agent without alias', event({ agent: { name: 'a', id: 'b', version: '1' } }), 'event.agent.alias is missing'],
    ['function as a number', event({ function: 7 }), 'event.function must be a string; got number'],
    ['parameters as an object', event({ parameters: { deal_name: 'IXIS' } }), 'event.parameters must be an array; got object'],
    ['a parameter value as a number', event({ parameters: [{ name: 'deal_name', type: 'string', value: 5 }] }), 'event.parameters[0].value must be a string; got number'],
    ['a parameter without a name', event({ parameters: [{ type: 'string', value: 'IXIS' }] }), 'event.parameters[0].name is missing'],
    ['a non-string session attribute', event({ sessionAttributes: { n: 1 } }), 'event.sessionAttributes.n must be a string; got number'],
  ])('%s', async (_, input, problem) => {
    const response = await handleActionGroupEvent(input, toolbox);
    expect(response.messageVersion).toBe('1.0');
    expect(response.response.functionResponse.responseState).toBe('FAILURE');
    expect(body(response)).toContain(problem);
  });

  it('lists every problem at once', async () => {
    const response = await handleActionGroupEvent(event({ function: 1, sessionId: undefined }), toolbox);
    expect(body(response)).toBe('Malformed action-group event: event.sessionId is missing; event.function must be a string; got number.');
  });

  it('fails a function this deployment does not have, with a suggestion', async () => {
    const response = await handleActionGroupEvent(event({ function: 'deal_lookpu' }), toolbox);
    expect(response.response.functionResponse.responseState).toBe('FAILURE');
    expect(body(response)).toContain('No tool named deal_lookpu. Did you mean deal_lookup?');
  });

  it('fails a function called through the wrong action group', async () => {
    const response = await handleActionGroupEvent(event({ actionGroup: 'research' }), toolbox);
    expect(response.response.functionResponse.responseState).toBe('FAILURE');
    expect(body(response)).toContain('Function deal_lookup belongs to action group warehouse, not research');
  });
});
