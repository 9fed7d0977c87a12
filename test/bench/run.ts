/**
 * `npm run bench`: runs every benchmark part in order and prints its figures. Each part measures its own baseline
 * in the same run, so ratios hold across machines. `npm run bench -- compile warehouse` runs only the named parts.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export interface BenchPart {
  /** Order in which parts run (the issues' order: compile, warehouse, ask, server, deploy). */
  order: number;
  title: string;
  run(log: (line: string) => void): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts'));
const parts: Array<{ file: string; part: BenchPart }> = [];
for (const file of files) {
  const mod = (await import(join(here, file))) as { part: BenchPart };
  parts.push({ file, part: mod.part });
}
parts.sort((a, b) => a.part.order - b.part.order);
for (const { file, part } of parts) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  console.log(`\n== ${part.title} (${file})`);
  await part.run((line) => console.log(`  ${line}`));
}
// Parts start servers, DuckDB instances and keep-alive agents; a finished run exits rather than waiting on them.
process.exit(0);
