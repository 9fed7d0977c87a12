/**
 * Side-effect policy (issue 13): a tool whose kind changes records or sends messages can never be declared `read`
 * (it would run without an approval), approval is a policy of write and notify tools only, turning it off is
 * allowed but said out loud (a warning), a write table's `enums` name writable columns, and approvers other than
 * the asker exist only where people are (Slack): a webhook caller approves its own request.
 */
import { DEFAULT_EFFECT } from '../defaults.ts';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { ToolEffect } from '../manifest.ts';
import type { Project, Spec } from '../project.ts';
import type { ToolSpec } from '../schema/index.ts';

const WHAT_IT_DOES: Record<Exclude<ToolEffect, 'read'>, string> = {
  write: 'changes records in a system of record',
  notify: 'sends messages outside',
};

function toolPolicy({ value: t, at }: Spec<ToolSpec>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byKind = DEFAULT_EFFECT[t.kind];
  if (t.effect === 'read' && byKind !== 'read') {
    out.push(diagnostic(catalog.readEffectOnChangingKind, at(['effect']), [t.kind, WHAT_IT_DOES[byKind], `effect: ${byKind}`]));
  }
  const effect = t.effect === 'read' && byKind !== 'read' ? byKind : t.effect ?? byKind;
  if (t.approval !== undefined && effect === 'read') out.push(diagnostic(catalog.approvalOnReadTool, at(['approval'])));
  if (t.approval === 'none' && effect !== 'read') out.push(diagnostic(catalog.approvalOff, at(['approval']), [effect]));
  for (const [table, rule] of Object.entries(t.write ?? {})) {
    for (const column of Object.keys(rule.enums ?? {})) {
      if (!rule.columns.includes(column)) {
        out.push(unknownName(catalog.enumNotWritable, at(['write', table, 'enums', column], { key: true }), column, rule.columns, [table]));
      }
    }
  }
  return out;
}

function channelApprovers(project: Project): Diagnostic[] {
  return project.channels.flatMap(({ value, at }) => {
    const approvers = value.approval?.approvers;
    if (value.kind === 'slack' || approvers === undefined || approvers === 'asker') return [];
    return [diagnostic(catalog.approversOutsideSlack, at(['approval', 'approvers']), [value.kind])];
  });
}

export const checkEffects = (project: Project): Diagnostic[] => [...project.tools.flatMap(toolPolicy), ...channelApprovers(project)];
