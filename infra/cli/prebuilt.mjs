// The CLI as prebuilt JavaScript: `revops` runs dist/cli/<build>/revops.js, bundled by esbuild from the TypeScript
// sources, instead of registering a TypeScript loader and transpiling every module on each start. A build records
// every source file it read with its size and modification time; when any of them changed (or a build is missing),
// the next start rebuilds first (a few hundred milliseconds), so nobody runs stale code. Dependencies stay external
// (loaded from node_modules as usual) and commands stay separate chunks, so each command loads only what it uses.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'cli');
const ENTRY = join(ROOT, 'infra', 'cli', 'revops.ts');

/**
 * Each module keeps its source location as `import.meta.url` (a module-level constant that `define` substitutes for
 * the expression, never for text inside strings), so files it reads beside itself are still found. Prepended on the
 * first line, so line numbers in stack traces stay those of the source.
 */
const MODULE_URL = '__revopsModuleUrl';
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      return { contents: `const ${MODULE_URL} = ${JSON.stringify(pathToFileURL(path).href)};${text}`, loader: 'ts' };
    });
  },
};

async function fingerprint(path) {
  const s = await stat(join(ROOT, path)).catch(() => undefined);
  return s ? `${s.size}:${s.mtimeMs}` : 'missing';
}

/** The current build's entry when every input it was built from is unchanged. */
export async function freshEntry(out = OUT) {
  const current = await readFile(join(out, 'current.json'), 'utf8').then(JSON.parse, () => undefined);
  if (!current) return undefined;
  const stamps = await Promise.all(Object.keys(current.inputs).map(fingerprint));
  const unchanged = Object.values(current.inputs).every((stamp, i) => stamp === stamps[i]);
  return unchanged ? join(out, current.build, 'revops.js') : undefined;
}

/**
 * Bundles TypeScript entries the way the CLI is built: ES modules for Node 20, dependencies external, each module
 * keeping its source location. The benches run their servers this way too (test/bench/builtFixtures.ts), as
 * `npm start` runs the server. Resolves to esbuild's metafile.
 */
export async function bundle(entryPoints, outdir) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT, entryPoints, outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', metafile: true, logLevel: 'error', plugins: [sourceLocation], define: { 'import.meta.url': MODULE_URL },
  });
  return result.metafile;
}

/** Builds into a new folder and then points current.json at it, so a process still running an older build keeps it. */
export async function buildCli(out = OUT) {
  await mkdir(out, { recursive: true });
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(out, id);
  const metafile = await bundle([ENTRY], outdir);
  // Input paths are relative to absWorkingDir (the repository), whichever folder the command runs in.
  const files = Object.keys(metafile.inputs).map((p) => relative(ROOT, resolve(ROOT, p)));
  const inputs = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await fingerprint(f)])));
  const current = join(out, 'current.json');
  const temporary = `${current}.${id}.tmp`;
  await writeFile(temporary, JSON.stringify({ build: id, inputs }));
  await rename(temporary, current);
  // Older builds go, except the newest few that a running process may still be loading chunks from.
  const older = (await readdir(out, { withFileTypes: true })).filter((d) => d.isDirectory() && d.name !== id).map((d) => d.name).sort();
  await Promise.all(older.slice(0, -2).map((d) => rm(join(out, d), { recursive: true, force: true })));
  return join(outdir, 'revops.js');
}

/** The entry to import: the current build when fresh, else a new one; undefined when esbuild cannot run here. */
export async function prebuiltEntry(out = OUT) {
  return (await freshEntry(out)) ?? buildCli(out).catch(() => undefined);
}

// `npm install` runs this file (the `prepare` script), so the first `revops` is as fast as the rest.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await buildCli();
