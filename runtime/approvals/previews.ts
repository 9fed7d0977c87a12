/**
 * What an approver is shown, one builder per tool kind (like the executors' table): a write shows the exact record
 * (read by its key, never by a name) with each field's current and proposed value; a notification its target,
 * recipient and full text (and, kept apart, the full destination it goes to once approved); any other tool raised to
 * write or notify its parameters. Every value is checked first —
 * the same parsing the executor does, enums included — so a request that could not be carried out is refused
 * before anyone is asked, and nothing waits that would fail.
 */
import type { ManifestTool, SqlWriteTool, ToolKind, ToolOfKind, WebhookTool } from '../../compiler/manifest.ts';
import { checkParameters, type CheckedParams } from '../tools/parameters.ts';
import { parseWrite, type WriteRequest } from '../tools/sql/sqlWriteExecutor.ts';
import { ToolFailure } from '../tools/toolFailure.ts';
import type { ToolContext, ToolParams } from '../tools/toolbox.ts';
import { notificationTarget } from '../tools/webhook/webhookExecutor.ts';
import type { Row } from '../warehouse/warehouse.ts';
import type { Preview } from './pendingAction.ts';

export interface Proposal {
  preview: Preview;
  /** The checked parameters the approved call runs with. */
  params: CheckedParams;
  /** Where a notification goes, in full (the preview shows it without path secrets). */
  destination?: string;
}

type Built = Omit<Proposal, 'params'>;
type PreviewBuilder<K extends ToolKind = ToolKind> = (tool: ToolOfKind<K>, params: CheckedParams, ctx: ToolContext) => Promise<Built>;

const label = (column: string): string => column.replace(/_/gu, ' ');
const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** The record's own name for people: its first `…name` column, else its key. */
const recordName = (row: Row, write: WriteRequest): string =>
  String(Object.entries(row).find(([column, value]) => /(^|_)name$/u.test(column) && typeof value === 'string')?.[1]
    ?? Object.values(write.key ?? {}).join(', '));

async function writePreview(tool: SqlWriteTool, params: CheckedParams, ctx: ToolContext): Promise<Built> {
  const write = parseWrite(tool, params);
  if (write.operation === 'insert') return { preview: { kind: 'insert', table: write.table, values: write.values } };
  const key = write.key!;
  const missing = write.rule.key.filter((column) => key[column] === undefined || key[column] === null || key[column] === '');
  if (missing.length > 0) throw new ToolFailure('invalid_parameter', `An update must name the record exactly: missing ${missing.join(', ')} of ${write.table}.`);
  const where = write.rule.key.map((column, i) => `${quote(column)} = :k${i}`).join(' AND ');
  const { rows } = await ctx.warehouse.query(`SELECT * FROM ${quote(write.table)} WHERE ${where}`, {
    params: Object.fromEntries(write.rule.key.map((column, i) => [`k${i}`, key[column] ?? null])), maxRows: 2, timeoutMs: tool.timeoutMs,
  });
  if (rows.length !== 1) {
    throw new ToolFailure('invalid_parameter', rows.length === 0
      ? `No ${write.table} record has ${write.rule.key.map((c) => `${c} ${JSON.stringify(key[c])}`).join(', ')}; nothing to change.`
      : `The key names more than one ${write.table} record; nothing to change.`);
  }
  const row = rows[0]!;
  const changes = Object.entries(write.values).map(([column, to]) => ({ column, label: label(column), from: row[column] ?? null, to }));
  if (changes.every((c) => c.from === c.to)) {
    throw new ToolFailure('invalid_parameter', `${recordName(row, write)} already has ${changes.map((c) => `${c.label} ${JSON.stringify(c.to)}`).join(', ')}; nothing to change.`);
  }
  return { preview: { kind: 'update', table: write.table, key, record: recordName(row, write), changes } };
}

async function notificationPreview(tool: WebhookTool, params: CheckedParams, ctx: ToolContext): Promise<Built> {
  const target = notificationTarget(tool, params, ctx.env);
  const text = String(params['message'] ?? '').trim();
  const recipient = String(params['recipient'] ?? '').trim();
  if (!recipient) throw new ToolFailure('invalid_parameter', 'A notification needs a recipient: who is it for (a person or a channel such as #deal-desk)?');
  if (!text) throw new ToolFailure('invalid_parameter', `A notification needs a message: what should ${recipient} be told?`);
  return { preview: { kind: 'notification', target: target.shown, recipient, text }, destination: target.url.href };
}

const callPreview = async (tool: ManifestTool, params: CheckedParams): Promise<Built> => ({ preview: { kind: 'call', tool: tool.name, parameters: params } });

const BUILDERS: { [K in ToolKind]: PreviewBuilder<K> } = {
  sql_write: writePreview,
  webhook: notificationPreview,
  sql: callPreview,
  sql_query: callPreview,
  gong: callPreview,
  knowledge: callPreview,
  metrics: callPreview,
  web_search: callPreview,
};

/** Checks the call and builds its preview; throws a ToolFailure saying what is wrong when it cannot be carried out. */
export async function propose(tool: ManifestTool, raw: ToolParams, ctx: ToolContext): Promise<Proposal> {
  const params = checkParameters(tool, raw);
  // BUILDERS[tool.kind] is the builder of exactly this tool's kind; TypeScript cannot pair the two by itself.
  const build = BUILDERS[tool.kind] as PreviewBuilder;
  return { ...await build(tool, params, ctx), params };
}
