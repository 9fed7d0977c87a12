/**
 * Opening a journal after a stop or a crash: read it back with the owner's record check, copy every damaged record
 * to the quarantine file (durably, before the torn tail is truncated away), tell the owner's `onDamage`, and open
 * the journal for appending. The embedded queue, the webhook status store and the done-set all open their journals
 * this way, so every journal is validated, quarantined and reported by the same code.
 */
import { openJournal, readJournal, type DamagedRecord, type Fsync, type Journal, type RecordCheck } from './journal.ts';
import { quarantine, quarantinePath } from './quarantine.ts';

export interface JournalDamage {
  journal: string;
  /** The side file the damaged records were copied to. */
  quarantineFile: string;
  damaged: DamagedRecord[];
}

/** Told once per opened journal that had damaged records (the runtime logs them, counts them in /healthz and /metrics). */
export type OnJournalDamage = (damage: JournalDamage) => void;

export interface RecoverOptions {
  check: RecordCheck;
  onDamage?: OnJournalDamage;
  fsync?: Fsync;
  now?: () => Date;
}

export async function openRecoveredJournal<R>(path: string, options: RecoverOptions): Promise<{ records: R[]; journal: Journal }> {
  const contents = await readJournal<R>(path, options.check);
  if (contents.damaged.length > 0) {
    await quarantine(path, contents.damaged, (options.now ?? (() => new Date()))());
    options.onDamage?.({ journal: path, quarantineFile: quarantinePath(path), damaged: contents.damaged });
  }
  const journal = await openJournal(path, { validBytes: contents.validBytes, ...(options.fsync ? { fsync: options.fsync } : {}) });
  return { records: contents.records, journal };
}
