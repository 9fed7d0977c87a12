/**
 * Builds the sample RevOps warehouse: a DuckDB file with the schema in schema.sql, deterministic noise generated
 * inside DuckDB from `range()` by a seeded counter-based PRNG (generate/01_prng.sql), and the seed's named records
 * (generate/08_named.sql). Same scale + same "now" + same seed => identical data. The file is written under a
 * temporary name and renamed into place, so a failed or interrupted seed never replaces a good warehouse.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { duckDbDriver } from '../duckdbDriver.ts';
import { commentStatements } from './columnComments.ts';
import { sampleCalendar } from './sampleClock.ts';

export { sampleNow } from './sampleClock.ts';

export const MAX_SCALE = 1_000_000;
/** Opportunities in 08_named.sql; the noise fills the rest of `scale`. */
const NAMED_OPPORTUNITIES = 5;
/** Accounts grow with the deals (about four deals each) up to a realistic book of business. */
const MAX_ACCOUNTS = 100_000;

export const SAMPLE_TABLES = ['accounts', 'opportunities', 'contacts', 'activities', 'calls', 'product_usage'] as const;
export type SampleCounts = Record<(typeof SAMPLE_TABLES)[number], number>;

export interface SeedOptions {
  out: string;
  /** Number of opportunities, 1..1,000,000 (the five named ones always exist). Default 2,000. */
  scale?: number;
  now?: Date;
  seed?: number;
}

export interface SeedResult {
  path: string;
  counts: SampleCounts;
  durationMs: number;
}

const steps = ['01_prng.sql', '02_accounts.sql', '03_opportunities.sql', '04_contacts.sql', '05_activities.sql',
  '06_calls.sql', '07_product_usage.sql', '08_named.sql'];

const readSql = (name: string): Promise<string> => readFile(new URL(name, import.meta.url), 'utf8');

export async function seedSampleWarehouse(options: SeedOptions): Promise<SeedResult> {
  const { out, scale = 2000, now = new Date(), seed = 42 } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be an integer from 1 to ${MAX_SCALE.toLocaleString('en-US')}; got ${scale}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31) throw new RangeError(`seed must be an integer from 0 to 2^31; got ${seed}`);
  const started = performance.now();
  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.${Date.now()}.tmp`;
  try {
    const counts = await writeWarehouse(temp, scale, now, seed);
    await rename(temp, out);
    return { path: out, counts, durationMs: performance.now() - started };
  } finally {
    await rm(temp, { force: true });
    await rm(`${temp}.wal`, { force: true });
  }
}

async function writeWarehouse(path: string, scale: number, now: Date, seed: number): Promise<SampleCounts> {
  const instance = await duckDbDriver().DuckDBInstance.create(path, { enable_external_access: 'false' });
  const connection = await instance.connect();
  try {
    const schema = await readSql('./schema.sql');
    await connection.run(schema);
    await connection.run(commentStatements(schema));
    const c = sampleCalendar(now);
    const accounts = Math.min(MAX_ACCOUNTS, Math.max(20, Math.ceil(scale / 4)));
    await connection.run(
      `CREATE TEMP TABLE gen AS SELECT $noise::BIGINT AS noise_opportunities, $accounts::BIGINT AS accounts,
         $contacts::BIGINT AS contacts, $calls::BIGINT AS calls, $today::DATE AS today,
         $qs::DATE AS quarter_start, $qe::DATE AS quarter_end, $nqs::DATE AS next_quarter_start,
         $nqe::DATE AS next_quarter_end, $ws::DATE AS week_start, $us::DATE AS usage_start`,
      {
        noise: Math.max(0, scale - NAMED_OPPORTUNITIES), accounts, contacts: accounts * 2,
        calls: Math.max(1, Math.ceil(scale / 2)), today: c.today, qs: c.quarterStart, qe: c.quarterEnd,
        nqs: c.nextQuarterStart, nqe: c.nextQuarterEnd, ws: c.weekStart, us: c.usageStart,
      },
    );
    for (const step of steps) {
      // The seed is a validated integer, the only text substituted into SQL: macros cannot take bound parameters.
      await connection.run((await readSql(`./generate/${step}`)).replaceAll('{{seed}}', String(seed)));
    }
    const counts = {} as SampleCounts;
    for (const table of SAMPLE_TABLES) {
      const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${table}`);
      counts[table] = Number(reader.getRows()[0]![0]);
    }
    await connection.run('CHECKPOINT');
    return counts;
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}
