/**
 * `revops queue check | repair [--data-dir DIR]`: the health of the data dir's journals (the embedded queues, the
 * webhook status store, the done-set). `check` reads them as start-up does and reports every damaged record with
 * its offset and reason (exit 1 when there is one); `repair` copies the damaged records to the quarantine file and
 * rewrites each damaged journal with only its intact records, atomically, refusing while a server holds a queue.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Command, type CommandIO, UsageError } from '../../compiler/cli/command.ts';
import { checkDataDir, ConfigError, loadConfig } from '../config.ts';
import { readJournal, rewriteJournal, type JournalContents, type RecordCheck } from '../queue/journal.ts';
import { journalRecordProblem } from '../queue/journalRecordCheck.ts';
import { quarantine, quarantinePath, readQuarantine } from '../queue/quarantine.ts';
import { acquireQueueLock, lockHolder, type QueueLock } from '../queue/queueLock.ts';
import { QueueError } from '../queue/queue.ts';
import { statusRecordProblem } from '../channels/webhook/statusRecordCheck.ts';
import { doneRecordProblem } from '../processing/doneSet.ts';

interface JournalFile {
  /** Relative to the data dir, as reports show it. */
  name: string;
  path: string;
  check: RecordCheck;
  /** The folder whose lock a running server holds (queue journals). */
  lockDir?: string;
}

/** Every journal kind in a data dir and its record check: the same checks their owners run at start-up. */
async function journalsIn(dataDir: string): Promise<JournalFile[]> {
  const queues = existsSync(join(dataDir, 'queue')) ? await readdir(join(dataDir, 'queue'), { withFileTypes: true }) : [];
  const files: JournalFile[] = [
    ...queues.filter((d) => d.isDirectory()).map((d) => ({
      name: `queue/${d.name}/journal.jsonl`, path: join(dataDir, 'queue', d.name, 'journal.jsonl'), check: journalRecordProblem,
      lockDir: join(dataDir, 'queue', d.name),
    })),
    { name: 'webhook/status.jsonl', path: join(dataDir, 'webhook', 'status.jsonl'), check: statusRecordProblem },
    { name: 'done.jsonl', path: join(dataDir, 'done.jsonl'), check: doneRecordProblem },
  ];
  return files.filter((f) => existsSync(f.path));
}

function describeHealth(journal: JournalFile, contents: JournalContents, quarantinedSoFar: number, holder?: number): string[] {
  const { records, damaged } = contents;
  return [
    `${journal.name}: ${records.length + damaged.length} records, ${records.length} intact, ${damaged.length} damaged; ` +
      `${quarantinedSoFar} quarantined so far (${journal.name}.quarantine)` +
      // A running server may be writing a batch right now: its end can read as a torn tail.
      (holder === undefined ? '' : `; in use by PID ${holder}, a torn tail may be a write in progress`),
    ...damaged.map((d) => `  offset ${d.offset} (${d.raw.length} bytes): ${d.reason}`),
  ];
}

async function check(dataDir: string, io: CommandIO): Promise<number> {
  const journals = await journalsIn(dataDir);
  if (journals.length === 0) {
    io.stdout(`no journals in ${dataDir}`);
    return 0;
  }
  let damagedTotal = 0;
  for (const journal of journals) {
    const contents = await readJournal(journal.path, journal.check);
    damagedTotal += contents.damaged.length;
    const holder = journal.lockDir === undefined ? undefined : await lockHolder(journal.lockDir);
    io.stdout(describeHealth(journal, contents, (await readQuarantine(journal.path)).length, holder).join('\n'));
  }
  if (damagedTotal > 0) io.stdout(`${damagedTotal} damaged record(s): run 'revops queue repair' with the server stopped to rewrite the journals without them`);
  return damagedTotal > 0 ? 1 : 0;
}

async function repair(dataDir: string, io: CommandIO): Promise<number> {
  const journals = await journalsIn(dataDir);
  const locks: QueueLock[] = [];
  try {
    try {
      for (const { lockDir } of journals) if (lockDir !== undefined) locks.push(await acquireQueueLock(lockDir));
    } catch (error) {
      if (!(error instanceof QueueError && error.code === 'queue_locked')) throw error;
      io.stderr(`revops queue repair: ${error.message} (nothing was changed)`);
      return 1;
    }
    for (const journal of journals) {
      const contents = await readJournal(journal.path, journal.check);
      if (contents.damaged.length === 0) {
        io.stdout(`${journal.name}: intact (${contents.records.length} records), left as it is`);
        continue;
      }
      // The evidence first: once the rewrite is renamed into place, the damaged bytes exist only in the side file.
      await quarantine(journal.path, contents.damaged, new Date());
      await rewriteJournal(journal.path, contents.records);
      io.stdout(`${journal.name}: rewritten with its ${contents.records.length} intact records; ` +
        `${contents.damaged.length} damaged record(s) are in ${quarantinePath(journal.name)}`);
    }
  } finally {
    for (const lock of locks) await lock.release();
  }
  return 0;
}

const actions: Record<string, (dataDir: string, io: CommandIO) => Promise<number>> = { check, repair };

export const command: Command = {
  summary: 'Check the data dir\'s journals for damaged records (check), or rewrite them with only the intact ones (repair).',
  usage: `revops queue check|repair [--data-dir DIR]
  check        report every journal's records, the damaged ones with offset and reason, and what was quarantined;
               exits 1 when a journal has a damaged record
  repair       copy the damaged records to <journal>.quarantine, then rewrite the journal with the intact ones
               (atomically); refused while a server holds the queue
  --data-dir   the data dir (default REVOPS_DATA_DIR, else .revops)`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [name, ...extra] = parsed.positionals;
    const action = name !== undefined && Object.hasOwn(actions, name) ? actions[name] : undefined;
    if (!action || extra.length) throw new UsageError(name ? `unknown action '${parsed.positionals.join(' ')}'` : 'missing action');
    const given = parsed.values['data-dir'];
    return action(given === undefined ? resolve(io.cwd, configuredDataDir(io)) : dataDirArgument(resolve(io.cwd, given)), io);
  },
};

function dataDirArgument(dir: string): string {
  try {
    return checkDataDir(dir, '--data-dir');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function configuredDataDir(io: CommandIO): string {
  try {
    return loadConfig(io.env, io.cwd).dataDir;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`configuration: ${error.message}`);
    throw error;
  }
}
