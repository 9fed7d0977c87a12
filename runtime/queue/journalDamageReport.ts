/**
 * What the runtime does with journal damage found at start-up (recoverJournal.ts): one error line per quarantined
 * record (journal, offset, reason), one line per journal with the count and the side file, the Prometheus counter
 * `revops_journal_records_quarantined_total{source="<journal>"}`, and the tally `/healthz` shows. Journals are named
 * relative to the data dir, so /healthz and the metric labels show no machine paths.
 */
import { relative } from 'node:path';
import type { Logger } from '../logging/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { OnJournalDamage } from './recoverJournal.ts';

export interface JournalDamageReport {
  onDamage: OnJournalDamage;
  /** For /healthz: damaged records quarantined at this start, in total and per journal. */
  health(): { quarantined: number; by_journal: Record<string, number> };
}

export function createJournalDamageReport(options: { dataDir: string; logger: Logger; metrics: Metrics }): JournalDamageReport {
  const { logger, metrics } = options;
  const byJournal: Record<string, number> = {};
  return {
    onDamage({ journal, quarantineFile, damaged }) {
      const name = relative(options.dataDir, journal);
      for (const d of damaged) {
        logger.error('journal record quarantined', { journal, offset: d.offset, bytes: d.raw.length, reason: d.reason });
      }
      logger.error(`quarantined ${damaged.length} damaged record(s) of ${name}; every intact record was recovered`, {
        journal, quarantine_file: quarantineFile, count: damaged.length,
      });
      byJournal[name] = (byJournal[name] ?? 0) + damaged.length;
      metrics.emit({ JournalRecordsQuarantined: damaged.length }, { source: name });
    },
    health: () => ({ quarantined: Object.values(byJournal).reduce((n, c) => n + c, 0), by_journal: { ...byJournal } }),
  };
}
