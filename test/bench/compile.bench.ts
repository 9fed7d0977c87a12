/**
 * Compile time (issue 2): the shipped specs in-process (median of several runs; target < 300 ms, < 500 ms since
 * issue 14's warehouse schema checks), and generated trees of N tools and N/5 agents over the sample warehouse
 * schema (target: 1,000 tools < 3 s, roughly linear growth from 100 to 1,000 tools).
 * Large files (issue 10): one tool of 10k, 20k and 40k keys beside the valid fixture tree (target: 10k < 500 ms,
 * linear growth), and a 13 MB one, which must end at once with the file-size error.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../../compiler/index.ts';
import type { BenchPart } from './run.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const header = (kind: string) => `# yaml-language-server: $schema=../../compiler/schemas/${kind}.schema.json\n`;
const COLLABORATORS_PER_SUPERVISOR = 9;

/** N tools (kind sql, one parameter each), N/5 agents (supervisors of 9 collaborators, each using 5 tools), the warehouse schema. */
async function generateTree(root: string, toolCount: number): Promise<number> {
  const files: Record<string, string> = { 'warehouse/sample.yaml': await readFile(join(REPO, 'specs', 'warehouse', 'sample.yaml'), 'utf8') };
  for (let t = 0; t < toolCount; t++) {
    files[`tools/tool${t}.yaml`] = `${header('tool')}name: tool${t}\nkind: sql\ndescription: Opportunities of one account, variant ${t}\n` +
      `parameters:\n  account: { type: string, required: true, description: Account name }\n` +
      `sql: |\n  SELECT o.opportunity_name, o.amount, COUNT(*) OVER () AS matched_rows FROM opportunities o JOIN accounts a ON a.id = o.account_id\n` +
      `  WHERE a.name = :account AND o.amount > ${t} ORDER BY o.amount DESC LIMIT 10\n`;
  }
  const collaborators = Math.ceil(toolCount / 5);
  const supervisors = Math.ceil(collaborators / COLLABORATORS_PER_SUPERVISOR);
  for (let c = 0; c < collaborators; c++) {
    const tools = Array.from({ length: 5 }, (_, i) => `tool${(c * 5 + i) % toolCount}`);
    files[`agents/agent${c}.yaml`] = `${header('agent')}name: agent${c}\nrole: collaborator\ndescription: Account analysis ${c}\n` +
      `instruction: You analyse accounts and their opportunities for segment ${c}, with evidence from the warehouse.\n` +
      `tools: [${tools.join(', ')}]\nskills:\n  - name: summary\n    steps: [{ tool: ${tools[0]} }]\n` +
      `    answer: "{{ ${tools[0]}.row_count }} opportunities, largest {{ ${tools[0]}.rows[0].amount }}"\n`;
  }
  for (let s = 0; s < supervisors; s++) {
    const members = Array.from({ length: COLLABORATORS_PER_SUPERVISOR }, (_, i) => s * COLLABORATORS_PER_SUPERVISOR + i).filter((c) => c < collaborators);
    files[`agents/boss${s}.yaml`] = `${header('agent')}name: boss${s}\nrole: supervisor\ndescription: Routes questions ${s}\n` +
      `instruction: You route account questions to the collaborator that covers the segment.\ncollaborators:\n` +
      members.map((c) => `  - { agent: agent${c}, instruction: Questions about segment ${c}. }\n`).join('');
    files[`routes/boss${s}.yaml`] = `${header('routes')}supervisor: boss${s}\nroutes:\n` + members.map((c) =>
      `  agent${c}: [${Array.from({ length: 8 }, (_, e) => `"segment ${c} question ${e}"`).join(', ')}]\n`).join('');
  }
  files['channels/slack.yaml'] = `${header('channel')}name: slack\nkind: slack\nentry: boss0\nbot_name: RevBot\n` +
    `ingress: { memory_mb: 256, timeout_s: 30 }\nprocessor: { memory_mb: 512, timeout_s: 300 }\n` +
    `queue: { visibility_timeout_s: 1800, retention_days: 14, max_receives: 3 }\n`;
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, 'specs', path)), { recursive: true });
    await writeFile(join(root, 'specs', path), text);
  }
  return Object.keys(files).length;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeCompile(root: string, runs: number): Promise<{ ms: number; files: number; diagnostics: number }> {
  await compileProject(root); // warm-up: module loading and ajv compilation are one-time costs
  const times: number[] = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await compileProject(root);
    times.push(performance.now() - start);
  }
  return { ms: median(times), files: result!.fileCount, diagnostics: result!.diagnostics.length };
}

const VALID = join(REPO, 'test', 'fixtures', 'valid');

/** The valid fixture tree plus specs/tools/big.yaml: a tool whose `lines` repeat until there are `keys` of them. */
async function largeFileTree(root: string, lines: (i: number) => string, count: number): Promise<number> {
  await cp(join(VALID, 'specs'), join(root, 'specs'), { recursive: true });
  const text = `${header('tool')}name: big\nkind: sql\ndescription: One very large tool\nsql: SELECT 1\n` +
    Array.from({ length: count }, (_, i) => lines(i)).join('');
  await writeFile(join(root, 'specs', 'tools', 'big.yaml'), text);
  return Buffer.byteLength(text);
}

async function largeFiles(log: (line: string) => void): Promise<void> {
  const fixture = await timeCompile(VALID, 3);
  log(`valid fixture tree alone (what each large-file tree adds its file to): ${fixture.ms.toFixed(0)} ms`);
  let base: { keys: number; ms: number } | undefined;
  // Each key an unknown field: one diagnostic per key, each placed at its line and column.
  for (const keys of [10_000, 20_000, 40_000]) {
    const root = await mkdtemp(join(tmpdir(), 'revops-bench-keys-'));
    try {
      const bytes = await largeFileTree(root, (i) => `key${i}: ${i}\n`, keys);
      const { ms, diagnostics } = await timeCompile(root, 3);
      base ??= { keys, ms };
      log(`${keys / 1000}k keys (${(bytes / 1024).toFixed(0)} KB): ${ms.toFixed(0)} ms, ${(ms / base.ms).toFixed(2)}x the ` +
        `${base.keys / 1000}k time for ${keys / base.keys}x the keys (${diagnostics} diagnostics)${keys === 10_000 ? '; target < 500 ms' : ''}`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const root = await mkdtemp(join(tmpdir(), 'revops-bench-huge-'));
  try {
    const bytes = await largeFileTree(root, (i) => `key${i}: [${i}, ${i + 1}, ${i + 2}]\n`, 370_000);
    const { ms, diagnostics } = await timeCompile(root, 3);
    log(`${(bytes / 1e6).toFixed(1)} MB file: ${ms.toFixed(0)} ms (${diagnostics} diagnostics: the file-size error)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export const part: BenchPart = {
  order: 1,
  title: 'compile',
  async run(log) {
    const shipped = await timeCompile(REPO, 7);
    log(`shipped specs: ${shipped.ms.toFixed(1)} ms median of 7 (${shipped.files} files, ${shipped.diagnostics} diagnostics; target < 500 ms with the warehouse schema checks)`);
    let base: { tools: number; ms: number } | undefined;
    for (const tools of [100, 250, 500, 1000]) {
      const root = await mkdtemp(join(tmpdir(), 'revops-bench-compile-'));
      try {
        const files = await generateTree(root, tools);
        const { ms, diagnostics } = await timeCompile(root, 3);
        base ??= { tools, ms };
        const ratio = ms / tools / (base.ms / base.tools);
        log(`${tools} tools, ${Math.ceil(tools / 5) + Math.ceil(tools / 5 / COLLABORATORS_PER_SUPERVISOR)} agents: ${ms.toFixed(0)} ms ` +
          `(${(ms / files).toFixed(2)} ms per file, ${(ms / tools).toFixed(2)} ms per tool, ${ratio.toFixed(2)}x the per-tool cost at ${base.tools}; ` +
          `${diagnostics} diagnostics)${tools === 1000 ? ' target < 3000 ms' : ''}`);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
    await largeFiles(log);
  },
};
