/**
 * Guessing a spec's kind from its fields, to catch a file saved in the wrong folder (a tool in specs/agents) with
 * one clear message instead of a dozen schema errors.
 */
import type { SpecKind } from './source.ts';

const TOOL_KINDS = new Set(['sql', 'sql_query', 'sql_write', 'gong', 'web_search', 'webhook', 'knowledge', 'metrics']);

export function guessKind(value: Record<string, unknown>): SpecKind | undefined {
  if ('supervisor' in value && 'routes' in value) return 'routes';
  if ('suite' in value && 'cases' in value) return 'eval';
  if ('tables' in value) return 'warehouse';
  if ('measures' in value || 'dimensions' in value) return 'metrics';
  if ('role' in value || 'instruction' in value || 'collaborators' in value) return 'agent';
  if ('entry' in value || value.kind === 'slack') return 'channel';
  if (TOOL_KINDS.has(String(value.kind)) || 'sql' in value || 'parameters' in value) return 'tool';
  return undefined;
}

/** What an empty file of each kind needs, for the empty-file message. */
export const MINIMAL_FIELDS: Record<SpecKind, string> = {
  agent: 'name, role, description and instruction',
  tool: 'name, kind and description',
  routes: 'supervisor and routes',
  channel: 'name, kind and entry',
  eval: 'suite, supervisor and cases',
  warehouse: 'name and tables',
  metrics: 'name, table, time and measures',
};
