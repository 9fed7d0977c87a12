/**
 * The side file damaged journal records go to before anything else happens to them: `<journal>.quarantine`, JSON
 * lines of `{journal, offset, reason, bytes, raw_base64, quarantined_at}`. Nothing reads it back into a queue; it
 * is the evidence (what was lost, where, why) for a person to look at, and it only grows. A record found damaged
 * again on a later start (it stays in the journal until compaction or `revops queue repair`) is not added twice.
 */
import { open, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { syncDirectory, type DamagedRecord } from './journal.ts';

export interface QuarantineEntry {
  journal: string;
  offset: number;
  reason: string;
  bytes: number;
  raw_base64: string;
  quarantined_at: string;
}

export const quarantinePath = (journal: string): string => `${journal}.quarantine`;

/** The entries quarantined so far; lines of the side file itself that do not parse are skipped. */
export async function readQuarantine(journal: string): Promise<QuarantineEntry[]> {
  let text: string;
  try {
    text = await readFile(quarantinePath(journal), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as QuarantineEntry;
      return typeof entry === 'object' && entry !== null && typeof entry.offset === 'number' ? [entry] : [];
    } catch {
      return [];
    }
  });
}

const identity = (offset: number, rawBase64: string): string => `${offset}:${crc32(rawBase64)}`;

/** Appends the damaged records not already there and makes them durable; resolves to how many were added. */
export async function quarantine(journal: string, damaged: DamagedRecord[], at: Date): Promise<number> {
  const known = new Set((await readQuarantine(journal)).map((e) => identity(e.offset, e.raw_base64)));
  const entries = damaged
    .map((d): QuarantineEntry => ({
      journal: basename(journal), offset: d.offset, reason: d.reason, bytes: d.raw.length,
      raw_base64: d.raw.toString('base64'), quarantined_at: at.toISOString(),
    }))
    .filter((e) => !known.has(identity(e.offset, e.raw_base64)));
  if (entries.length === 0) return 0;
  const file = await open(quarantinePath(journal), 'a');
  try {
    await file.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await file.datasync();
  } finally {
    await file.close();
  }
  await syncDirectory(dirname(journal));
  return entries.length;
}
