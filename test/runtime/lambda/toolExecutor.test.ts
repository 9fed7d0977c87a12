import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createToolExecutorHandler } from '../../../runtime/lambda/toolExecutor.ts';
import { lazyWarehouse } from '../../../runtime/lambda/lazyWarehouse.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { fixtureManifest } from '../../infra/fixtures/manifest.ts';

const event = () => JSON.parse(readFileSync(new URL('./fixtures/bedrock-action-group-event.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A warehouse that records the statements it runs and answers one row. */
function recordingWarehouse(calls: Array<{ sql: string; params: unknown }>): Warehouse {
  return {
    dialect: 'firebolt',
    async query(sql, options) {
      calls.push({ sql, params: options?.params });
      return { columns: [{ name: 'opportunity_name', type: 'TEXT' }], rows: [{ opportunity_name: 'IXIS Expansion' }], stats: { rowCount: 1, truncated: false, durationMs: 1 } };
    },
    close: async () => undefined,
  };
}

describe('tool executor adapter', () => {
  it('answers the documented action-group event with the documented response', async () => {
    const calls: Array<{ sql: string; params: unknown }> = [];
    let opened = 0;
    const warehouse = lazyWarehouse(async () => {
      opened += 1;
      return recordingWarehouse(calls);
    });
    const toolbox = createToolbox(fixtureManifest().tools, { warehouse, env: {}, now: () => new Date('2025-08-16T00:00:00Z') });
    const handler = createToolExecutorHandler(async () => toolbox);
    expect(opened).toBe(0);
    const response = await handler(event());
    expect(response.messageVersion).toBe('1.0');
    expect(response.response).toMatchObject({ actionGroup: 'warehouse', function: 'deal_lookup' });
    expect(response.response.functionResponse.responseState).toBeUndefined();
    expect(response.response.functionResponse.responseBody.TEXT.body).toContain('IXIS Expansion');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.sql).toContain(':deal_name');
    expect(calls[0]!.params).toEqual({ deal_name: 'IXIS' });
    await handler(event());
    expect(opened).toBe(1);
  });

  it('fails the call (not the Lambda) for a function the deployment does not have', async () => {
    const toolbox = createToolbox(fixtureManifest().tools, { warehouse: recordingWarehouse([]), env: {}, now: () => new Date() });
    const response = await createToolExecutorHandler(async () => toolbox)({ ...event(), function: 'drop_tables' });
    expect(response.response.functionResponse.responseState).toBe('FAILURE');
  });
});
