/**
 * Issue 11, build point 6 / issue 15: `revops ask --session ID` continues a conversation across separate
 * processes. Each question runs the real CLI in its own process over one throwaway project; the turns live in
 * the data directory's conversation store.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempProject } from './tempProject.ts';

const REVOPS = fileURLToPath(new URL('../../infra/cli/revops.mjs', import.meta.url));
const run = promisify(execFile);

let project: Awaited<ReturnType<typeof tempProject>>;
beforeAll(async () => {
  project = await tempProject();
});
afterAll(async () => project?.remove());

async function ask(question: string, session?: string): Promise<{ answer: string; skill?: string; trace: Array<{ type: string; tool?: string; parameters?: Record<string, unknown> }> }> {
  const args = [REVOPS, 'ask', question, '--json', ...(session ? ['--session', session] : [])];
  const { stdout } = await run(process.execPath, args, {
    cwd: project.root, timeout: 90_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REVOPS_NOW: '2025-11-14T09:00:00Z', REVOPS_LOG_LEVEL: 'error' },
  });
  return JSON.parse(stdout);
}

describe('revops ask --session across processes', () => {
  it('answers "and what are its risks?" about the deal the earlier process asked about', async () => {
    const first = await ask('what is the status of the IXIS deal?', 's1');
    expect(first.answer).toContain('IXIS');
    const followUp = await ask('and what are its risks?', 's1');
    expect(followUp.answer).toContain('IXIS-Snowflake');
    const calls = followUp.trace.filter((e) => e.type === 'tool_call');
    expect(calls.some((c) => JSON.stringify(c.parameters).includes('IXIS'))).toBe(true);
    expect(await readdir(join(project.root, '.revops', 'sessions'))).toHaveLength(1);
  }, 180_000);

  it('does not carry a deal into another session', async () => {
    const other = await ask('and what are its risks?', 's2');
    expect(other.answer).not.toContain('IXIS-Snowflake');
  }, 90_000);
});
