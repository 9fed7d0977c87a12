/**
 * The servers the ingress bench starts, as JavaScript bundled the way the `revops` CLI is (infra/cli/prebuilt.mjs
 * `bundle`), not under the tsx loader: the bench measures the server as `npm start` runs it. tsx's module hooks
 * cost even a bare `node:http` server about a sixth of its requests per second, and esbuild's keep-names helper
 * (which tsx turns on) ran on every closure the accept path made. Built once per bench run under dist/bench/.
 */
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = ['bareServer', 'webhookServer', 'slackServers'] as const;
export type Fixture = (typeof FIXTURES)[number];

interface Prebuilt {
  bundle(entryPoints: string[], outdir: string): Promise<unknown>;
}

/** Bundles every fixture; resolves to the path of each one's entry. */
export async function buildFixtures(): Promise<Record<Fixture, string>> {
  const outdir = join(ROOT, 'dist', 'bench', 'fixtures');
  await rm(outdir, { recursive: true, force: true });
  const { bundle } = (await import(join(ROOT, 'infra', 'cli', 'prebuilt.mjs'))) as Prebuilt;
  await bundle(FIXTURES.map((f) => join(ROOT, 'test', 'bench', 'fixtures', `${f}.ts`)), outdir);
  return Object.fromEntries(FIXTURES.map((f) => [f, join(outdir, `${f}.js`)])) as Record<Fixture, string>;
}
