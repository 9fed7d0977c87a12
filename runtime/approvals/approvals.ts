/**
 * The approvals service: the one way a write or notify tool runs. An engine that wants such a call stops; the
 * processor hands the call here, which checks it and builds its preview (previews.ts), stores the pending action
 * (pendingStore.ts) and returns it for the channel to show. A decision then moves it out of `pending` once
 * (compare-and-swap: two approvers at once, a double click or a retried request perform it once), performs it
 * through the toolbox with its id as idempotency key and the previewed values as the update's guard, and records
 * it in the audit log before marking it done — so a crash anywhere in between is finished by the redelivered
 * decision, writing once and recording once.
 *
 * Expiry is a transition like a decision, recorded once (audited, the status `expired`) wherever it is observed:
 * a decision after the deadline, a read through `get`, and `sweepExpired` over a store one process owns (`revops
 * ask` runs it whenever it proposes an action, the local server at start), so a CLI proposal nobody answered does
 * not wait forever.
 */
import { createHash, randomUUID } from 'node:crypto';
import { needsApproval, type ManifestChannel, type ManifestTool } from '../../compiler/manifest.ts';
import type { Toolbox, ToolContext, ToolParams } from '../tools/toolbox.ts';
import { ToolFailure } from '../tools/toolFailure.ts';
import type { SqlValue } from '../warehouse/warehouse.ts';
import { mayApprove, type GroupMembers } from './approvers.ts';
import type { AuditLog, AuditRecord } from './auditLog.ts';
import { judge, type Asker, type Decision, type PendingAction } from './pendingAction.ts';
import type { ListedPendingStore, PendingStore } from './pendingStore.ts';
import { propose } from './previews.ts';

export interface ApprovalsDeps {
  store: PendingStore;
  audit: AuditLog;
  toolbox: Toolbox;
  /** For previews: the warehouse to read current values from, the environment naming destinations. */
  context: ToolContext;
  channels: readonly ManifestChannel[];
  members?: GroupMembers;
  now?: () => Date;
  newId?: () => string;
}

export interface ProposeRequest {
  /** Stable per proposed call (the message's dedupe key and the call): a redelivered question proposes it once. */
  key?: string;
  tool: string;
  params: ToolParams;
  origin: PendingAction['origin'];
  asker: Asker;
  resume?: unknown;
}

export type ProposeResult = { ok: true; action: PendingAction } | { ok: false; reason: string };

export type DecideResult =
  | { kind: 'performed' | 'rejected'; action: PendingAction }
  | { kind: 'already_decided' | 'expired' | 'not_allowed'; action: PendingAction }
  | { kind: 'not_found' };

export interface Approvals {
  propose(request: ProposeRequest): Promise<ProposeResult>;
  decide(actionId: string, decision: Decision): Promise<DecideResult>;
  get(actionId: string): Promise<PendingAction | undefined>;
}

const auditRecord = (action: PendingAction): AuditRecord => ({
  action_id: action.id, tool: action.tool, status: action.status as AuditRecord['status'],
  asked_by: action.asker.label, asked_at: action.createdAt, question: action.origin.text, channel: action.origin.channel,
  decided_by: action.decision?.by ?? null, decided_at: action.decision?.at ?? null,
  preview: action.preview, outcome: action.outcome ?? null, correlation_id: action.origin.id,
});

/**
 * A pending action past its deadline becomes expired, on record. Past the deadline no decision can move it
 * elsewhere, so the audit record goes first (once per id) and a crash before the swap is finished next time.
 */
async function expireIfDue(store: PendingStore, audit: AuditLog, action: PendingAction, now: Date): Promise<PendingAction> {
  if (action.status !== 'pending' || now.getTime() < Date.parse(action.expiresAt)) return action;
  const expired: PendingAction = { ...action, status: 'expired' };
  await audit.append(auditRecord(expired));
  return (await store.swap('pending', expired)) ? expired : (await store.get(action.id)) ?? expired;
}

/** Expires every action of the store past its deadline; returns those it expired. */
export async function sweepExpired(store: ListedPendingStore, audit: AuditLog, now: Date = new Date()): Promise<PendingAction[]> {
  const expired = await Promise.all((await store.pending()).map((action) => expireIfDue(store, audit, action, now)));
  return expired.filter((action) => action.status === 'expired');
}

const noGroups: GroupMembers = async (group) => {
  throw new Error(`approvers name the Slack user group ${group}, but no Slack client is configured to read its members`);
};

export function createApprovals(deps: ApprovalsDeps): Approvals {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const tools = new Map<string, ManifestTool>(deps.toolbox.tools.map((t) => [t.name, t]));
  const channelOf = (action: PendingAction) => deps.channels.find((c) => c.name === action.origin.channel);

  /** Performs an approved action; the audit record goes first (once per id), the final status last. */
  const perform = async (action: PendingAction): Promise<PendingAction> => {
    const expected: Record<string, SqlValue> | undefined = action.preview.kind === 'update'
      ? Object.fromEntries(action.preview.changes.map((c) => [c.column, c.from])) : undefined;
    const result = await deps.toolbox.perform(action.tool, action.params, {
      idempotencyKey: action.id, ...(expected ? { expected } : {}), ...(action.destination ? { destination: action.destination } : {}),
    });
    const settled: PendingAction = {
      ...action, status: result.ok ? 'done' : 'failed', performedAt: now().toISOString(),
      outcome: { ok: result.ok, text: result.ok ? (result.text ?? `${action.tool} succeeded.`) : result.error?.message ?? 'the tool failed' },
    };
    await deps.audit.append(auditRecord(settled));
    await deps.store.swap('approved', settled);
    return settled;
  };

  return {
    async get(id) {
      const action = await deps.store.get(id);
      return action && expireIfDue(deps.store, deps.audit, action, now());
    },

    async propose(request) {
      const tool = tools.get(request.tool);
      if (!tool || !needsApproval(tool)) return { ok: false, reason: `${request.tool} does not need approval.` };
      const channel = deps.channels.find((c) => c.name === request.origin.channel);
      let proposal;
      try {
        proposal = await propose(tool, request.params, deps.context);
      } catch (error) {
        if (error instanceof ToolFailure) return { ok: false, reason: error.message };
        throw error;
      }
      const id = request.key ? createHash('sha256').update(request.key).digest('hex').slice(0, 32) : newId();
      const existing = await deps.store.get(id);
      if (existing) return { ok: true, action: existing };
      const created = now();
      const action: PendingAction = {
        id, tool: tool.name, effect: tool.effect as PendingAction['effect'], params: proposal.params, preview: proposal.preview,
        ...(proposal.destination ? { destination: proposal.destination } : {}),
        asker: request.asker, origin: request.origin, ...(request.resume !== undefined ? { resume: request.resume } : {}),
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + (channel?.approval.expiresAfterSeconds ?? 3600) * 1000).toISOString(),
        status: 'pending',
      };
      await deps.store.create(action);
      return { ok: true, action };
    },

    async decide(id, decision) {
      const action = await deps.store.get(id);
      if (!action) return { kind: 'not_found' };
      const approvers = channelOf(action)?.approval.approvers ?? { kind: 'asker' as const };
      const allowed = action.status === 'pending' && await mayApprove(approvers, action, decision.by, deps.members ?? noGroups);
      const verdict = judge(action, decision, allowed, now());
      if (verdict.kind === 'resume') return { kind: 'performed', action: await perform(verdict.action) };
      if (verdict.kind === 'refused') {
        const settled = verdict.reason === 'expired' ? await expireIfDue(deps.store, deps.audit, action, now()) : verdict.action;
        return { kind: verdict.reason, action: settled };
      }
      if (!(await deps.store.swap('pending', verdict.action))) {
        const current = await deps.store.get(id);
        return { kind: 'already_decided', action: current ?? action };
      }
      if (verdict.action.status === 'rejected') {
        await deps.audit.append(auditRecord(verdict.action));
        return { kind: 'rejected', action: verdict.action };
      }
      return { kind: 'performed', action: await perform(verdict.action) };
    },
  };
}
