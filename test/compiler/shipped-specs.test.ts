/** The specs the repository ships validate with no errors and no warnings, and compile to the same bytes twice. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.ts';
import { toJson } from '../../compiler/emit/serialize.ts';
import { renderedLines, VALID } from './helpers.ts';

const REPO = join(VALID, '..', '..', '..');

describe.runIf(existsSync(join(REPO, 'specs/agents')))('shipped specs', () => {
  it('validate with no diagnostics', async () => {
    const result = await compileProject(REPO, { strict: true });
    expect(renderedLines(result)).toEqual([]);
  });

  it('compile to identical bytes twice', async () => {
    const [a, b] = [await compileProject(REPO), await compileProject(REPO)];
    expect(toJson(a.manifest)).toBe(toJson(b.manifest));
    expect(toJson(a.bedrock)).toBe(toJson(b.bedrock));
  });
});
