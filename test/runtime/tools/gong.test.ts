import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestTool } from '../../../compiler/manifest.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { type LoopbackServer, type RecordedRequest, type Reply, startLoopbackServer } from '../../support/loopbackServer.ts';
import { openSampleWarehouse } from '../../support/sampleWarehouse.ts';
import { shippedTools, testContext } from '../../support/tools.ts';

const KEY = 'test-access-key';
const SECRET = 'test-secret-value';
const NOW = new Date('2025-11-15T12:00:00Z');

const ixisContext = [{ system: 'Salesforce', objects: [{ objectType: 'Account', objectId: '001', fields: [{ name: 'Name', value: 'IXIS Investment Management' }] }] }];
const call = (id: string, title: string, context: unknown[] = []) => ({
  metaData: { id, title, started: '2025-11-10T15:00:00Z', duration: 2700 },
  context,
  parties: [
    { name: 'Sarah Johnson', speakerId: 's1', affiliation: 'Internal' },
    { name: 'Pierre Martin', speakerId: 's2', affiliation: 'External' },
  ],
  content: {
    brief: `Brief of ${title}`,
    trackers: [{ name: 'Competitors', count: 2, phrases: [{ phrase: 'Snowflake', count: 2 }] }, { name: 'Objections', count: 0 }],
    highlights: [{ title: 'Next steps', items: [{ text: 'Send TCO model' }] }],
  },
});

/** Gong's two endpoints as documented: Basic auth, POST bodies with filter (and cursor paging). */
function gongStandIn(request: RecordedRequest): Reply {
  if (request.headers.authorization !== `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`) {
    return { status: 401, body: { errors: ['Unauthorized'] } };
  }
  const body = JSON.parse(request.body) as { cursor?: string; filter: Record<string, unknown> };
  if (request.method === 'POST' && request.path === '/v2/calls/extensive') {
    return body.cursor === 'page-2'
      ? { status: 200, body: { records: { totalRecords: 3, currentPageSize: 1, currentPageNumber: 1 }, calls: [call('303', 'IXIS Investment Management QBR')] } }
      : { status: 200, body: { records: { totalRecords: 3, currentPageSize: 2, currentPageNumber: 0, cursor: 'page-2' }, calls: [call('101', 'Pricing deep dive', ixisContext), call('202', 'DataCorp sync')] } };
  }
  if (request.method === 'POST' && request.path === '/v2/calls/transcript') {
    const ids = body.filter['callIds'] as string[];
    return {
      status: 200,
      body: { callTranscripts: ids.map((callId) => ({ callId, transcript: [
        { speakerId: 's2', topic: 'Pricing', sentences: [{ start: 0, end: 5, text: 'Our Snowflake bill doubled.' }] },
        { speakerId: 's1', topic: 'Pricing', sentences: [{ start: 6, end: 9, text: 'We can cut that.' }] },
      ] })) },
    };
  }
  return { status: 404, body: { errors: ['not found'] } };
}

let server: LoopbackServer;
let warehouse: Warehouse;
let gong: ManifestTool;

beforeAll(async () => {
  server = await startLoopbackServer(gongStandIn);
  warehouse = await openSampleWarehouse();
  gong = (await shippedTools()).find((t) => t.name === 'gong_retrieval')!;
});
afterAll(async () => {
  await server.close();
  await warehouse.close();
});

const env = (secret = SECRET) => ({ GONG_ACCESS_KEY: KEY, GONG_ACCESS_KEY_SECRET: secret, GONG_BASE_URL: server.url });

describe('gong: the Gong REST API when credentials are set', () => {
  it('lists calls over the date range, follows the cursor, matches the account and fetches transcripts', async () => {
    server.requests.length = 0;
    const toolbox = createToolbox([gong], testContext(warehouse, { env: env(), now: () => NOW }));
    const result = await toolbox.run('gong_retrieval', { account_name: 'ixis', days: '14' });
    expect(result.error).toBeUndefined();
    expect(result.rows!.map((r) => [r['call_id'], r['account_name']])).toEqual([['101', 'IXIS Investment Management'], ['303', 'ixis']]);
    expect(result.rows![0]).toMatchObject({
      call_date: '2025-11-10', title: 'Pricing deep dive', participants: 'Sarah Johnson, Pierre Martin', duration_minutes: 45,
      summary: 'Brief of Pricing deep dive', competitor_mentions: 'Snowflake', objections: null, next_steps: 'Send TCO model',
      transcript_excerpt: 'Pierre Martin: Our Snowflake bill doubled.\nSarah Johnson: We can cut that.', source: 'gong',
    });
    const [first, second, transcripts] = server.requests.map((r) => ({ path: r.path, body: JSON.parse(r.body) }));
    expect(first).toMatchObject({ path: '/v2/calls/extensive', body: { filter: { fromDateTime: '2025-11-01T12:00:00.000Z', toDateTime: '2025-11-15T12:00:00.000Z' } } });
    expect(first!.body.contentSelector.exposedFields.parties).toBe(true);
    expect(second).toMatchObject({ path: '/v2/calls/extensive', body: { cursor: 'page-2' } });
    expect(transcripts).toEqual({ path: '/v2/calls/transcript', body: { filter: { callIds: ['101', '303'] } } });
    expect(server.requests).toHaveLength(3);
  });

  it('reads the variable names the spec gives', async () => {
    const custom = { ...gong, gong: { accessKeyEnv: 'MY_KEY', accessKeySecretEnv: 'MY_SECRET', baseUrlEnv: 'MY_GONG' } };
    const toolbox = createToolbox([custom], testContext(warehouse, { env: { MY_KEY: KEY, MY_SECRET: SECRET, MY_GONG: server.url }, now: () => NOW }));
    const result = await toolbox.run('gong_retrieval', { account_name: 'IXIS' });
    expect(result.rows?.[0]?.['source']).toBe('gong');
  });

  it('reports refused credentials as an upstream failure naming the variable, never the secret', async () => {
    const toolbox = createToolbox([gong], testContext(warehouse, { env: env('wrong-secret'), now: () => NOW }));
    const result = await toolbox.run('gong_retrieval', { account_name: 'IXIS' });
    expect(result).toMatchObject({ ok: false, error: { code: 'upstream' } });
    expect(result.error!.message).toContain('HTTP 401');
    expect(result.error!.message).toContain('GONG_ACCESS_KEY');
    expect(result.error!.message).not.toContain('wrong-secret');
  });
});

describe('gong: the warehouse calls table without credentials', () => {
  it('returns the account\'s calls within the window, newest first', async () => {
    const toolbox = createToolbox([gong], testContext(warehouse));
    const recent = await toolbox.run('gong_retrieval', { account_name: 'IXIS' });
    expect(recent.rows!.map((r) => [r['call_id'], r['source']])).toEqual([['call-1', 'warehouse']]);
    expect(recent.rows![0]).toMatchObject({ competitor_mentions: 'Snowflake', objections: 'Migration risk', account_name: 'IXIS Investment Management' });
    const longer = await toolbox.run('gong_retrieval', { account_name: 'IXIS', days: '90' });
    expect(longer.rows!.map((r) => r['call_id'])).toEqual(['call-1', 'call-2']);
  });

  it('half a key pair is not configured, not a silent fallback to the warehouse', async () => {
    const toolbox = createToolbox([gong], testContext(warehouse, { env: { GONG_ACCESS_KEY: KEY } }));
    const result = await toolbox.run('gong_retrieval', { account_name: 'IXIS' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    expect(result.error!.message).toContain('GONG_ACCESS_KEY_SECRET is not');
  });

  it('binds the account name: an injection string matches no call', async () => {
    const toolbox = createToolbox([gong], testContext(warehouse));
    expect(await toolbox.run('gong_retrieval', { account_name: "' OR 1=1 --", days: 365 })).toMatchObject({ ok: true, rows: [] });
  });
});
