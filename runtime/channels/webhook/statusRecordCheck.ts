/**
 * The shape of a webhook status journal record, `{id, patch}` with the patch's `updated_at`: the `RecordCheck` the
 * status store opens its journal with (queue/recoverJournal.ts) and `revops queue check` reads it with. Fields are
 * checked no further than merging needs, so records with fields added later still pass.
 */
import type { RecordCheck } from '../../queue/journal.ts';

export const statusRecordProblem: RecordCheck = (record) => {
  const { id, patch } = (typeof record === 'object' && record !== null ? record : {}) as { id?: unknown; patch?: { updated_at?: unknown } };
  if (typeof id !== 'string') return 'status record: id is not a string';
  return typeof patch === 'object' && patch !== null && typeof patch.updated_at === 'string'
    ? undefined : 'status record: patch is not an object with an updated_at';
};
