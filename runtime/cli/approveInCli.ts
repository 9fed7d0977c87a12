/**
 * The CLI's approval surface (issue 13): `revops ask` prints the preview of an action the agents want; on a
 * terminal it asks "Apply? [y/N]", without one it performs nothing unless `--yes` was given. The embedded
 * warehouse is opened writable only for the moment of an approved write (the read-only one is closed first:
 * DuckDB allows one writer and no readers beside it), so the CLI and the server behave the same. Pending actions
 * and the audit log are the data directory's, the ones `revops audit` lists.
 */
import { join } from 'node:path';
import { createApprovals, sweepExpired } from '../approvals/approvals.ts';
import { createFileAuditLog } from '../approvals/auditLog.ts';
import { proposalText, settledText } from '../approvals/pendingAction.ts';
import { createFilePendingStore } from '../approvals/pendingStore.ts';
import type { ApprovalNeededEvent } from '../engines/trace.ts';
import { createToolbox } from '../tools/createToolbox.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import type { CommandIO } from '../../compiler/cli/command.ts';
import type { Project } from './loadProject.ts';
import { dataDirOf } from '../config.ts';

export const approvalsDir = (io: Pick<CommandIO, 'cwd' | 'env'>): string => join(dataDirOf(io.env, io.cwd), 'approvals');

/** A toolbox whose approved calls run on a warehouse opened writable for that call alone. */
function writableMoment(project: Project, io: CommandIO): Toolbox {
  return {
    ...project.toolbox,
    async perform(tool, params, approved, signal) {
      await project.warehouse.close();
      const warehouse = await openWarehouse(io.env, io.cwd, { writable: true });
      try {
        return await createToolbox(project.manifest.tools, { warehouse, env: io.env, now: project.now }).perform(tool, params, approved, signal);
      } finally {
        await warehouse.close();
      }
    },
  };
}

export interface CliApproval {
  /** What to print after the agents' trace. */
  text: string;
  status: 'done' | 'failed' | 'not_applied' | 'rejected' | 'not_proposed';
  actionId?: string;
}

export async function approveInCli(
  project: Project, io: CommandIO, wanted: ApprovalNeededEvent, question: { text: string; sessionId: string; correlationId: string }, yes: boolean,
): Promise<CliApproval> {
  const dir = approvalsDir(io);
  const [store, audit] = await Promise.all([createFilePendingStore(join(dir, 'pending.jsonl')), createFileAuditLog(join(dir, 'audit.jsonl'))]);
  try {
    // Earlier runs' proposals nobody answered ("no terminal") end here once past their deadline, on record.
    await sweepExpired(store, audit);
    const approvals = createApprovals({
      store, audit, toolbox: writableMoment(project, io), channels: project.manifest.channels,
      context: { warehouse: project.warehouse, env: io.env, now: project.now },
    });
    const user = io.env.USER?.trim() || io.env.USERNAME?.trim() || 'local user';
    const proposed = await approvals.propose({
      tool: wanted.tool, params: wanted.parameters, asker: { id: 'cli', label: `${user} (revops ask)` },
      origin: { id: question.correlationId, channel: 'cli', text: question.text, sessionId: question.sessionId },
    });
    if (!proposed.ok) return { status: 'not_proposed', text: `I couldn't prepare that: ${proposed.reason}${/nothing (was|to) /iu.test(proposed.reason) ? '' : ' Nothing was changed.'}` };
    const { action } = proposed;
    const preview = proposalText(action);
    let approve = yes;
    if (!yes) {
      if (!io.prompt) {
        return { status: 'not_applied', actionId: action.id, text: `${preview}\n\nNot applied: no terminal to ask on. Run the command again with --yes to apply it.` };
      }
      io.stdout(preview);
      approve = /^y(es)?$/iu.test((await io.prompt('Apply? [y/N] ')).trim());
    }
    const at = new Date().toISOString();
    const result = await approvals.decide(action.id, { approve, by: 'cli', decisionId: `cli:${action.id}`, at });
    const settled = result.kind === 'not_found' ? action : result.action;
    const status = settled.status === 'done' ? 'done' : settled.status === 'rejected' ? 'rejected' : 'failed';
    return { status, actionId: action.id, text: `${yes ? `${preview}\n\n` : ''}${settledText(settled)}` };
  } finally {
    await Promise.all([store.close(), audit.close()]);
  }
}
