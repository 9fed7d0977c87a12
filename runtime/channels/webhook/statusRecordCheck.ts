/**
 * The shape of a webhook status journal record — `{id, patch}` with the patch's `updated_at`, or an idempotency
 * claim `{claim, value}` (value null when withdrawn) — the `RecordCheck` the
 * status store opens its journal with (queue/recoverJournal.ts) and `revops queue check` reads it with. Fields are
 * checked no further than merging needs, so records with fields added later still pass.
 */
import type { RecordCheck } from '../../queue/journal.ts';

const claimProblem = (record: { claim?: unknown; value?: unknown }): string | undefined => {
  if (typeof record.claim !== 'string') return 'status claim: claim is not a string';
  const value = record.value as { tracking_id?: unknown; at?: unknown } | null | undefined;
  if (value === null) return undefined;
  return typeof value === 'object' && typeof value.tracking_id === 'string' && typeof value.at === 'string'
    ? undefined : 'status claim: value is neither null nor a claim with tracking_id and at';
};

export const statusRecordProblem: RecordCheck = (record) => {
  if (typeof record === 'object' && record !== null && 'claim' in record) return claimProblem(record as { claim?: unknown });
  const { id, patch } = (typeof record === 'object' && record !== null ? record : {}) as { id?: unknown; patch?: { updated_at?: unknown } };
  if (typeof id !== 'string') return 'status record: id is not a string';
  return typeof patch === 'object' && patch !== null && typeof patch.updated_at === 'string'
    ? undefined : 'status record: patch is not an object with an updated_at';
};
