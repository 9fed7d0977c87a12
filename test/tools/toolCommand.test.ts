import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { main } from '../../infra/cli/revops.ts';
import { renderTable } from '../../runtime/cli/tool.ts';
import { openSampleWarehouse } from './helpers/sampleWarehouse.ts';
import { repoRoot } from './helpers/tools.ts';

let dir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-tool-'));
  const path = join(dir, 'tools.duckdb');
  await (await openSampleWarehouse(path)).close();
  // The sample data dir is where the default (seeded) warehouse would go; the configured path is the one used.
  env = { REVOPS_DATA_DIR: join(dir, 'data'), REVOPS_WAREHOUSE_PATH: path };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function revops(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env, cwd: repoRoot };
  const code = await main(['tool', ...args], io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('revops tool', () => {
  it('runs a tool against the configured warehouse and prints an aligned table', async () => {
    const { code, stdout } = await revops('deal_lookup', '--param', 'deal_name=IXIS');
    expect(code).toBe(0);
    const [header, rule, row, footer] = stdout.split('\n');
    expect(header).toMatch(/^opportunity_id\s+opportunity_name\s+stage_name\s+probability/);
    expect(rule).toMatch(/^-+ {2}-+/);
    expect(row).toMatch(/^opp-ixis\s+IXIS-Snowflake Cost Replacement\s+Negotiate\s+75/);
    expect(footer).toMatch(/^1 row in \d+ ms$/);
  });

  it('prints the whole result with --json', async () => {
    const { code, stdout } = await revops('deal_lookup', '--param', 'deal_name=DataCorp', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, tool: 'deal_lookup', rows: [{ opportunity_name: 'DataCorp Expansion', amount: 800000, probability: 80 }] });
  });

  it('exits 1 with the reason when the call is refused', async () => {
    const { code, stderr, stdout } = await revops('firebolt_sql_query', '--param', 'query=DROP TABLE opportunities');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('revops tool: firebolt_sql_query refused: Only a single read-only SELECT statement is allowed; found DROP at position 1');
  });

  it('exits 1 naming a missing parameter', async () => {
    const { code, stderr } = await revops('deal_lookup');
    expect(code).toBe(1);
    expect(stderr).toContain('invalid_parameter: Missing required parameter deal_name');
  });

  it('exits 2 for an unknown tool, with a suggestion', async () => {
    const { code, stderr } = await revops('deal_lokup', '--param', 'deal_name=IXIS');
    expect(code).toBe(2);
    expect(stderr).toContain('Did you mean deal_lookup?');
  });

  it.each([
    [['deal_lookup', '--param', 'deal_name'], "--param 'deal_name': expected key=value"],
    [['deal_lookup', '--param', 'a=1', '--param', 'a=2'], '--param a is given twice'],
    [[], 'a tool name is required'],
  ])('usage error for %j', async (args, message) => {
    const { code, stderr } = await revops(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and cuts long cells', () => {
    expect(renderTable(['name', 'amount'], [{ name: 'IXIS', amount: 2100000 }, { name: 'x'.repeat(70), amount: 5 }]).split('\n')).toEqual([
      `name${' '.repeat(58)}amount`,
      `${'-'.repeat(60)}  -------`,
      `IXIS${' '.repeat(56)}  2100000`,
      `${'x'.repeat(59)}…        5`,
    ]);
  });
});
