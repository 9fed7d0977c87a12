/**
 * `revops audit [--last N]`: the most recent performed, cancelled and expired actions from the data directory's
 * audit log — when, which tool, who asked, who decided, what changed (old → new, or the message sent), and how it
 * ended. The server and `revops ask` write the same log.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFileAuditLog, type AuditRecord } from '../approvals/auditLog.ts';
import { previewLines } from '../approvals/pendingAction.ts';
import { approvalsDir } from './approveInCli.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';

const line = (r: AuditRecord): string => [
  `${(r.decided_at ?? r.asked_at).replace('T', ' ').slice(0, 19)}  ${r.status.padEnd(8)}  ${r.tool}  asked by ${r.asked_by} in ${r.channel}`
    + `${r.decided_by ? `, decided by ${r.decided_by}` : ''}  [${r.action_id}]`,
  ...previewLines(r.preview).map((l) => `    ${l}`),
  ...(r.outcome ? [`    outcome: ${r.outcome.text}`] : []),
].join('\n');

export const command: Command = {
  summary: 'List the most recent approved, cancelled and expired actions (CRM writes, notifications) with who and what.',
  usage: 'revops audit [--last 20] [--json]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { last: { type: 'string' }, json: { type: 'boolean' } } });
    const last = Number(values.last ?? '20');
    if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last: expected a positive whole number, got '${values.last}'`);
    const log = await createFileAuditLog(join(approvalsDir(io), 'audit.jsonl'));
    try {
      const records = await log.list(last);
      if (values.json) io.stdout(JSON.stringify(records, null, 2));
      else io.stdout(records.length ? records.map(line).join('\n') : 'no actions on record yet');
      return 0;
    } finally {
      await log.close();
    }
  },
};
