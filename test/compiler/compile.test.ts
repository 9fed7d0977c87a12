import { readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileProject, isBuildStale, writeBuild } from '../../compiler/index.ts';
import { sha256, toJson } from '../../compiler/emit/serialize.ts';
import { removeProject, tempProject, VALID } from './helpers.ts';

const roots: string[] = [];
const project = async () => {
  const root = await tempProject();
  roots.push(root);
  return root;
};
afterEach(async () => Promise.all(roots.splice(0).map(removeProject)));

describe('compileProject on a valid tree', () => {
  it('returns a manifest and Bedrock requests with no diagnostics', async () => {
    const result = await compileProject(VALID);
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest?.agents.map((a) => a.name)).toEqual(['data', 'deal_analysis', 'manager']);
    expect(Object.keys(result.bedrock ?? {}).sort()).toEqual(['data', 'deal_analysis', 'manager']);
  });

  it('hashes the manifest serialised without its hash', async () => {
    const { manifest } = await compileProject(VALID);
    const { hash, ...rest } = manifest!;
    expect(hash).toBe(sha256(toJson(rest)));
  });

  it('writes the same bytes twice, and the alias description carries the hash', async () => {
    const root = await project();
    const first = await compileProject(root);
    await writeBuild(root, 'build', first);
    const bytes = await readFile(join(root, 'build/manifest.json'), 'utf8');
    const agentBytes = await readFile(join(root, 'build/bedrock/manager.json'), 'utf8');
    await writeBuild(root, 'build', await compileProject(root));
    expect(await readFile(join(root, 'build/manifest.json'), 'utf8')).toBe(bytes);
    expect(await readFile(join(root, 'build/bedrock/manager.json'), 'utf8')).toBe(agentBytes);
    expect(JSON.parse(agentBytes).alias.description).toBe(`manifest ${first.manifest!.hash}`);
  });

  it('reports no manifest when there are errors, and refuses to write one', async () => {
    const root = await project();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(root, 'specs/agents/data.yaml'), 'name: [unclosed\n');
    const result = await compileProject(root);
    expect(result.manifest).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('RV1001');
    await expect(writeBuild(root, 'build', result)).rejects.toThrow(/has errors/);
  });
});

describe('isBuildStale', () => {
  it('is stale without a build, fresh after one, stale again when a spec changes', async () => {
    const root = await project();
    expect(await isBuildStale(root, 'build')).toBe(true);
    await writeBuild(root, 'build', await compileProject(root));
    const past = new Date(Date.now() - 60_000);
    const { readdir } = await import('node:fs/promises');
    for (const entry of await readdir(join(root, 'specs'), { recursive: true })) {
      await utimes(join(root, 'specs', entry), past, past);
    }
    await utimes(join(root, 'specs'), past, past);
    expect(await isBuildStale(root, 'build')).toBe(false);
    await utimes(join(root, 'specs/tools/deal_lookup.yaml'), new Date(), new Date());
    expect(await isBuildStale(root, 'build')).toBe(true);
  });
});
