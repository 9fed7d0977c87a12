/**
 * `revops data schema`: writes specs/warehouse/<name>.yaml from the configured warehouse (DuckDB or Firebolt, as
 * every other command opens it), the schema the compiler checks SQL and templates against.
 * `revops data seed`: builds the sample RevOps warehouse (a DuckDB file) from the deterministic generator, with
 * dates relative to now (`REVOPS_NOW` pins it). An existing file is replaced only with --force, and then
 * atomically (written under a temporary name and renamed), so a failed seed never leaves a half-written warehouse.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_SCALE, sampleNow, seedSampleWarehouse } from '../warehouse/sample/createSampleWarehouse.ts';
import { embeddedWarehousePath, openWarehouse } from '../warehouse/openWarehouse.ts';
import { readWarehouseSchema } from '../warehouse/readSchema.ts';
import { warehouseSpecText } from '../warehouse/schemaSpec.ts';
import { type Command, type CommandIO, UsageError } from '../../compiler/cli/command.ts';

const DEFAULT_SCHEMA_OUT = 'specs/warehouse/warehouse.yaml';

async function writeSchema(io: CommandIO, outOption: string | undefined): Promise<number> {
  const out = resolve(io.cwd, outOption ?? DEFAULT_SCHEMA_OUT);
  const name = basename(out).replace(/\.ya?ml$/, '');
  const warehouse = await openWarehouse(io.env, io.cwd);
  try {
    const tables = await readWarehouseSchema(warehouse);
    await mkdir(dirname(out), { recursive: true });
    const temporary = `${out}.${process.pid}.tmp`;
    await writeFile(temporary, warehouseSpecText(name, warehouse.dialect, tables));
    await rename(temporary, out);
    const columns = [...tables.values()].reduce((n, t) => n + t.size, 0);
    io.stdout(`wrote ${relative(io.cwd, out)}: ${tables.size} tables, ${columns} columns from the ${warehouse.dialect} warehouse`);
    return 0;
  } finally {
    await warehouse.close();
  }
}

function parseScale(text: string | undefined): number {
  if (text === undefined) return 2000;
  const scale = Number(text);
  if (!/^\d+$/.test(text) || scale < 1 || scale > MAX_SCALE) {
    throw new UsageError(`--scale must be a whole number of opportunities from 1 to ${MAX_SCALE}; got '${text}'`);
  }
  return scale;
}

export const command: Command = {
  summary: 'Build the sample RevOps warehouse (DuckDB), or write the warehouse schema spec the compiler checks SQL against.',
  usage: `revops data seed [--scale N] [--out FILE] [--force]
revops data schema [--out ${DEFAULT_SCHEMA_OUT}]
  --scale N    opportunities to generate, 1..${MAX_SCALE} (default 2000)
  --out FILE   where to write the warehouse (default REVOPS_WAREHOUSE_PATH, else warehouse.duckdb in REVOPS_DATA_DIR or .revops)
  --force      replace an existing file (atomically)
  REVOPS_NOW=2025-11-14 pins "now", so two seeds produce identical data.
  schema reads the warehouse REVOPS_WAREHOUSE selects (the embedded DuckDB file, or Firebolt) and writes its
  tables and columns; the spec's name is the file's.`,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { scale: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const [action, ...extra] = parsed.positionals;
    if (action === 'schema' && !extra.length) return writeSchema(io, parsed.values.out);
    if (action !== 'seed' || extra.length) throw new UsageError(action ? `unknown action '${[action, ...extra].join(' ')}'` : 'missing action');
    const scale = parseScale(parsed.values.scale);
    const out = parsed.values.out ? resolve(io.cwd, parsed.values.out) : embeddedWarehousePath(io.env, io.cwd);
    if (existsSync(out) && !parsed.values.force) {
      io.stderr(`revops data seed: ${out} already exists; pass --force to replace it`);
      return 1;
    }
    let now: Date;
    try {
      now = sampleNow(io.env);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const result = await seedSampleWarehouse({ out, scale, now });
    const width = Math.max(...Object.keys(result.counts).map((t) => t.length));
    io.stdout([
      `seeded ${result.path} in ${(result.durationMs / 1000).toFixed(1)} s (now = ${now.toISOString().slice(0, 10)})`,
      ...Object.entries(result.counts).map(([table, n]) => `  ${table.padEnd(width)}  ${n.toLocaleString('en-US').padStart(10)}`),
    ].join('\n'));
    return 0;
  },
};
