/**
 * `revops conversations [--last N]`: the most recent local conversation exports with time, route (agent/skill),
 * duration, status and grounding (share of the answer's figures found in the tool results).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { listConversations } from '../exports/list.ts';
import { dataDirOf } from '../config.ts';

export const command: Command = {
  summary: 'List recent conversations: time, route, duration, status and grounding.',
  usage: 'revops conversations [--last 20] [--json]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { last: { type: 'string' }, json: { type: 'boolean' } } });
    const last = Number(values.last ?? '20');
    if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last: expected a positive whole number, got '${values.last}'`);
    const root = join(dataDirOf(io.env, io.cwd), 'conversations');
    const found = await listConversations(root, last);
    if (values.json) {
      io.stdout(JSON.stringify(found.map((f) => ({ folder: f.folder, ...f.metadata })), null, 2));
      return 0;
    }
    if (found.length === 0) {
      io.stdout(`no conversations under ${root} yet; ask something through the webhook or Slack first`);
      return 0;
    }
    const rows = found.map(({ metadata: m }) => [
      m.export_time.replace('T', ' ').slice(0, 19),
      [m.route.agent ?? '-', m.route.skill].filter(Boolean).join('/'),
      `${m.processing_time_seconds.toFixed(2)} s`,
      m.status === 'failed' ? `failed (${m.error?.code ?? '?'})` : m.status === 'awaiting_approval' ? 'awaiting approval' : 'done',
      m.grounding.ratio === null ? 'n/a' : `${Math.round(m.grounding.ratio * 100)}% of ${m.grounding.figures}`
        + (m.grounding.ungrounded.length ? ` (ungrounded: ${m.grounding.ungrounded.slice(0, 3).join(', ')})` : ''),
      m.conversation_id,
    ]);
    io.stdout(table(['time (UTC)', 'route', 'duration', 'status', 'grounding', 'conversation'], rows));
    return 0;
  },
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
