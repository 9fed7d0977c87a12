/**
 * Kind `gong`: recent sales calls for an account. With Gong credentials in the environment (variable names from
 * the spec's `gong` block; defaults GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET, GONG_BASE_URL) it asks the Gong API;
 * without them it reads the warehouse `calls` table, which is what the embedded sample dataset provides. One of
 * the pair without the other is `not_configured`.
 *
 * Parameters: `account_name` (or `account`): part of the account name; `days` (default 30): how far back.
 */
import type { GongTool } from '../../../compiler/manifest.ts';
import { WarehouseError } from '../../warehouse/warehouse.ts';
import type { KindExecutor } from '../executor.ts';
import { fromWarehouseError, ToolFailure } from '../toolFailure.ts';
import type { ToolContext } from '../toolbox.ts';
import type { CallQuery } from './callRows.ts';
import { callsFromGong, type GongSettings } from './callsFromGong.ts';
import { callsFromWarehouse } from './callsFromWarehouse.ts';

const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;

export const runGong: KindExecutor<'gong'> = async (tool, params, ctx, signal) => {
  const account = params['account_name'] ?? params['account'];
  const days = params['days'] ?? DEFAULT_DAYS;
  if (typeof days !== 'number' || days < 1) throw new ToolFailure('invalid_parameter', 'Parameter days must be a whole number of days, 1 or more.');
  const to = ctx.now();
  const query: CallQuery = {
    account: typeof account === 'string' && account.trim() ? account.trim() : undefined,
    from: new Date(to.getTime() - days * DAY_MS),
    to,
    maxRows: tool.maxRows,
  };
  const settings = gongSettings(tool, ctx);
  if (settings) return callsFromGong(ctx, settings, query, signal);
  try {
    return await callsFromWarehouse(ctx.warehouse, query, tool.timeoutMs);
  } catch (error) {
    throw error instanceof WarehouseError ? fromWarehouseError(error, false) : error;
  }
};

function gongSettings(tool: GongTool, ctx: ToolContext): GongSettings | undefined {
  const names = tool.gong ?? { accessKeyEnv: 'GONG_ACCESS_KEY', accessKeySecretEnv: 'GONG_ACCESS_KEY_SECRET', baseUrlEnv: 'GONG_BASE_URL' };
  const accessKey = ctx.env[names.accessKeyEnv];
  const accessKeySecret = ctx.env[names.accessKeySecretEnv];
  if (!accessKey && !accessKeySecret) return undefined;
  // Half a key pair is a broken setup, not "no Gong": reading the warehouse instead would hide it.
  if (!accessKey || !accessKeySecret) {
    const [set, unset] = accessKey ? [names.accessKeyEnv, names.accessKeySecretEnv] : [names.accessKeySecretEnv, names.accessKeyEnv];
    throw new ToolFailure('not_configured', `Gong is half configured: ${set} is set but ${unset} is not; set both, or neither to read calls from the warehouse.`);
  }
  const baseUrl = ctx.env[names.baseUrlEnv] || 'https://api.gong.io';
  return { baseUrl, accessKey, accessKeySecret, keyEnv: names.accessKeyEnv, timeoutMs: tool.timeoutMs };
}
